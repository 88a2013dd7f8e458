package io.jdqlite.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restart policy of {@code jdqlite local}, on stand-in processes (sh) rather than nodes. */
class NodeSupervisorTest {
    @TempDir
    Path dir;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private final List<Integer> unexpectedExits = new CopyOnWriteArrayList<>();
    private final AtomicInteger starts = new AtomicInteger();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private NodeSupervisor supervisor(String script) {
        LocalCluster.Node node = new LocalCluster.Node(2, "127.0.0.1:1", "127.0.0.1:2", 3, dir, dir.resolve("node2.log"),
                Map.of());
        return new NodeSupervisor(node, () -> {
            starts.incrementAndGet();
            return new ProcessBuilder("sh", "-c", script)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(node.logFile().toFile()))
                    .start();
        }, timer, err, unexpectedExits::add);
    }

    @Test
    void withoutRestartsAnExitIsOnlyReportedWithItsStatus() throws Exception {
        NodeSupervisor supervisor = supervisor("exit 70");

        supervisor.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> unexpectedExits.size() == 1);
        assertThat(unexpectedExits).containsExactly(70);
        Thread.sleep(1500); // past the first back-off: nothing may start it again
        assertThat(starts).hasValue(1);
        assertThat(supervisor.restarts()).isZero();
    }

    @Test
    void aProcessThatExitsOnItsOwnIsStartedAgainAndTheLogSaysSo() throws Exception {
        NodeSupervisor supervisor = supervisor("echo run; sleep 0.2; exit 70");
        supervisor.start();
        supervisor.restartOnExit();

        await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.restarts() >= 2);
        supervisor.stop();

        assertThat(unexpectedExits).isEmpty();
        assertThat(starts.get()).isEqualTo(supervisor.restarts() + 1);
        assertThat(errBytes.toString(StandardCharsets.UTF_8))
                .contains("node 2 exited with status 70", "starting it again in 1 s", "starting it again in 2 s",
                        "node 2 started again");
        String log = Files.readString(dir.resolve("node2.log"));
        assertThat(log).contains("---- jdqlite local: starting node 2 again", "restart 1, it had exited with status 70",
                "restart 2, it had exited with status 70");
        assertThat(log.lines().filter("run"::equals)).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void anExitBeforeRestartsWereTurnedOnIsRestartedWhenTheyAre() throws Exception {
        NodeSupervisor supervisor = supervisor("exit 137");
        supervisor.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> unexpectedExits.size() == 1);

        supervisor.restartOnExit();

        await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.restarts() == 1);
        supervisor.stop();
    }

    @Test
    void stopCancelsAPendingRestartAndEndsTheRunningProcess() throws Exception {
        NodeSupervisor crashing = supervisor("exit 1");
        crashing.start();
        crashing.restartOnExit();
        await().atMost(Duration.ofSeconds(10)).until(() -> errBytes.toString(StandardCharsets.UTF_8)
                .contains("starting it again in 1 s"));

        crashing.stop();
        Thread.sleep(1500); // past the restart that was pending
        assertThat(crashing.restarts()).isZero();

        NodeSupervisor running = supervisor("sleep 60");
        running.start();
        running.restartOnExit();
        running.stop();
        running.awaitStopped(Instant.now().plusSeconds(10));
        assertThat(running.process().isAlive()).isFalse();
        Thread.sleep(1500);
        assertThat(running.restarts()).isZero();
    }

    @Test
    void aStartThatFailsIsRetriedWithBackOff() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        LocalCluster.Node node = new LocalCluster.Node(3, "127.0.0.1:1", "127.0.0.1:2", 3, dir, dir.resolve("node3.log"),
                Map.of());
        NodeSupervisor supervisor = new NodeSupervisor(node, () -> {
            if (attempts.incrementAndGet() > 1) {
                throw new IOException("no such file: java");
            }
            return new ProcessBuilder("sh", "-c", "exit 3").start();
        }, timer, err, unexpectedExits::add);
        supervisor.start();
        supervisor.restartOnExit();

        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= 3);
        supervisor.stop();

        assertThat(errBytes.toString(StandardCharsets.UTF_8))
                .contains("node 3 could not be started again: no such file: java");
    }
}
