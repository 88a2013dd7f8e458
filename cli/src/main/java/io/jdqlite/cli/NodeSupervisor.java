package io.jdqlite.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Keeps one node process of {@code jdqlite local} running: once restarts are on, a process that exits when
 * nobody stopped it (a kill, or a node that ended itself on an engine failure, status 70) is started again
 * after a {@link RestartBackoff}, with the same data and addresses, as a Kubernetes pod would be. The Raft log
 * holds every acknowledged write, so the node comes back with them and catches up from its peers.
 */
final class NodeSupervisor {
    /** Starts a node's process. */
    interface Starter {
        Process start() throws IOException;
    }

    private final LocalCluster.Node node;
    private final Starter starter;
    private final ScheduledExecutorService timer;
    private final PrintStream err;
    private final IntConsumer onUnexpectedExit;
    private final RestartBackoff backoff = new RestartBackoff();

    private Process process;
    private Instant startedAt;
    private boolean restartsOn;
    private boolean stopping;
    private ScheduledFuture<?> pendingRestart;
    private int restarts;

    /** @param onUnexpectedExit given the exit status when the process exits unexpectedly while restarts are off */
    NodeSupervisor(LocalCluster.Node node, Starter starter, ScheduledExecutorService timer, PrintStream err,
                   IntConsumer onUnexpectedExit) {
        this.node = node;
        this.starter = starter;
        this.timer = timer;
        this.err = err;
        this.onUnexpectedExit = onUnexpectedExit;
    }

    LocalCluster.Node node() {
        return node;
    }

    synchronized Process process() {
        return process;
    }

    synchronized int restarts() {
        return restarts;
    }

    synchronized void start() throws IOException {
        launch();
    }

    /** From now on an unexpected exit starts the node again; one that already happened does so now. */
    synchronized void restartOnExit() {
        restartsOn = true;
        if (!stopping && process != null && !process.isAlive() && pendingRestart == null) {
            scheduleRestart(process);
        }
    }

    /** No more restarts; asks the process to stop (SIGTERM). */
    synchronized void stop() {
        stopping = true;
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
        if (process != null) {
            process.destroy();
        }
    }

    /** After {@link #stop()}: waits for the process until {@code deadline}, then kills it. */
    void awaitStopped(Instant deadline) throws InterruptedException {
        Process p = process();
        if (p == null) {
            return;
        }
        long left = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        if (!p.waitFor(left, TimeUnit.MILLISECONDS)) {
            err.println("node " + node.id() + " (pid " + p.pid() + ") did not stop in time; killing it");
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void launch() throws IOException {
        Process p = starter.start();
        process = p;
        startedAt = Instant.now();
        p.onExit().thenAccept(this::exited);
    }

    private synchronized void exited(Process p) {
        if (stopping || p != process || pendingRestart != null) {
            return; // stopped on purpose, an earlier process, or restartOnExit() already saw it gone
        }
        if (!restartsOn) {
            onUnexpectedExit.accept(p.exitValue());
            return;
        }
        scheduleRestart(p);
    }

    private void scheduleRestart(Process p) {
        Duration ran = Duration.between(startedAt, Instant.now());
        Duration delay = backoff.next(ran);
        err.println("node " + node.id() + " exited with status " + p.exitValue() + " after " + ran.toSeconds()
                + " s; starting it again in " + delay.toSeconds() + " s (see " + node.logFile() + ")");
        pendingRestart = timer.schedule(() -> restart(p.exitValue()), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void restart(int status) {
        pendingRestart = null;
        if (stopping) {
            return;
        }
        restarts++;
        try {
            Files.writeString(node.logFile(), System.lineSeparator() + "---- jdqlite local: starting node " + node.id()
                    + " again at " + Instant.now() + " (restart " + restarts + ", it had exited with status "
                    + status + ") ----" + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            launch();
            err.println("node " + node.id() + " started again (pid " + process.pid() + ", restart " + restarts + ")");
        } catch (IOException | RuntimeException e) {
            err.println("node " + node.id() + " could not be started again: " + e.getMessage());
            startedAt = Instant.now();
            Duration delay = backoff.next(Duration.ZERO);
            pendingRestart = timer.schedule(() -> restart(status), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
