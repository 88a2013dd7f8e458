package io.jdqlite.node.gateway;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The most client connections a node serves at once. Each holds a session, buffers and a file descriptor,
 * so a client opening connections without end (a leak, a retry loop) would otherwise take them all.
 */
final class ConnectionLimit {
    private static final Logger LOG = Logger.getLogger(ConnectionLimit.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong nextLog = new AtomicLong(System.nanoTime());

    ConnectionLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max connections must be at least 1: " + max);
        }
        this.max = max;
    }

    int max() {
        return max;
    }

    /** Counts a new connection in, or says it is one too many (and logs that, at most every 10 s). */
    boolean tryAcquire(Object remote) {
        while (true) {
            int now = open.get();
            if (now >= max) {
                long total = refused.incrementAndGet();
                long t = System.nanoTime();
                long next = nextLog.get();
                if (t - next >= 0 && nextLog.compareAndSet(next, t + LOG_INTERVAL_NANOS)) {
                    LOG.warnf("refusing a client connection from %s: %d open, the limit (jdqlite.max-connections); %d refused so far",
                            remote, now, total);
                }
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release() {
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }

    String refusal() {
        return "this node already serves " + max + " client connections, its limit (jdqlite.max-connections): "
                + "close unused connections or raise the limit";
    }
}
