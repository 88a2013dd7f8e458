package io.jdqlite.client;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay unless cancelled first: how an interrupt that the node does not confirm ends in
 * closing the connection, even when a thread is stuck in a socket read or write (Java sockets cannot time out
 * a write). One daemon thread for the whole client, started on first use.
 */
final class Watchdog {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private Watchdog() {
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "jdqlite-interrupt-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true); // cancelled deadlines (the usual case) do not pile up
        return t;
    }

    static ScheduledFuture<?> after(Duration delay, Runnable task) {
        return TIMER.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code check} every {@code period} until cancelled. */
    static ScheduledFuture<?> every(Duration period, Runnable check) {
        return TIMER.scheduleWithFixedDelay(check, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }
}
