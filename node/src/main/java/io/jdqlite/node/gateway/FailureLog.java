package io.jdqlite.node.gateway;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Logs unexpected connection failures of one node at most once per interval, counting the ones it
 * leaves out, so that a flood of failing connections (say, while memory runs out) cannot fill the
 * log. Shared by the connections of a server, hence lock-free.
 */
final class FailureLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    FailureLog() {
        this(Logger.getLogger(ConnectionHandler.class), TimeUnit.SECONDS.toNanos(1), System::nanoTime);
    }

    FailureLog(Logger log, long intervalNanos, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.nanoClock = nanoClock;
        this.nextAllowed = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * Logs the failure with its stack trace, at ERROR for a {@link Error} (out of memory, a bug in the
     * JVM's view) and at WARN otherwise, unless one was logged less than an interval ago. Returns
     * whether it was logged.
     */
    boolean log(Throwable failure, Object remote) {
        long now = nanoClock.getAsLong();
        long next = nextAllowed.get();
        // nanoTime values are compared by difference: they may wrap
        if (now - next < 0 || !nextAllowed.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return false;
        }
        long skipped = suppressed.getAndSet(0);
        Logger.Level level = failure instanceof Error ? Logger.Level.ERROR : Logger.Level.WARN;
        if (skipped == 0) {
            log.logf(level, failure, "dqlite connection from %s failed", remote);
        } else {
            log.logf(level, failure, "dqlite connection from %s failed (%d similar failures since the last report not logged)",
                    remote, skipped);
        }
        return true;
    }
}
