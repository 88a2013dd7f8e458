package io.jdqlite.engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Timeouts of a node's replies, all of the same length, checked by one sweep every {@link #SWEEP_MILLIS}. A
 * timer task per write ({@code CompletableFuture.orTimeout}) woke the JDK's delay thread on every write;
 * a sweep wakes 10 times a second whatever the load. A future times out between its timeout and a sweep
 * later; one completed meanwhile is only forgotten.
 */
final class Deadlines implements AutoCloseable {
    static final long SWEEP_MILLIS = 100;

    private record Pending(CompletableFuture<?> future, long deadlineNanos) {
    }

    private final long timeoutNanos;
    /** In deadline order, since every entry gets the same timeout when it is added. */
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jdqlite-deadlines");
        t.setDaemon(true);
        return t;
    });

    Deadlines(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        sweeper.scheduleWithFixedDelay(() -> sweep(System.nanoTime(), false), SWEEP_MILLIS, SWEEP_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** Completes {@code future} with a {@link TimeoutException} unless it completes within the timeout. */
    <T> CompletableFuture<T> bound(CompletableFuture<T> future) {
        if (!future.isDone()) {
            pending.add(new Pending(future, System.nanoTime() + timeoutNanos));
        }
        return future;
    }

    /**
     * Times out the overdue futures (every one with {@code all}) and forgets the completed ones at the head;
     * returns how many timed out.
     */
    int sweep(long nowNanos, boolean all) {
        int timedOut = 0;
        for (Pending p = pending.peek(); p != null; p = pending.peek()) {
            boolean overdue = all || nowNanos - p.deadlineNanos() >= 0;
            if (!overdue && !p.future().isDone()) {
                break;
            }
            pending.poll();
            if (overdue && p.future().completeExceptionally(new TimeoutException())) {
                timedOut++;
            }
        }
        return timedOut;
    }

    /** Futures still waiting (for tests and metrics). */
    int size() {
        return pending.size();
    }

    /** Stops sweeping; whatever still waits times out now (its outcome stays unknown). */
    @Override
    public void close() {
        sweeper.shutdownNow();
        sweep(System.nanoTime(), true);
    }
}
