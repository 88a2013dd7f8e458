package io.jdqlite.node.gateway;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of large request bodies a node holds while they arrive, over all its connections. Each message
 * may be as large as the maximum message size; without a node-wide bound, a handful of clients sending
 * large bodies slowly could hold gigabytes (of direct memory) between them.
 */
final class ReceiveBudget {
    /** Bodies up to this size are not counted: they are bounded by the connections' own read buffers. */
    static final int COUNTED_FROM = 64 * 1024;
    private final AtomicLong available;

    ReceiveBudget(long bytes) {
        this.available = new AtomicLong(bytes);
    }

    /** The default: a quarter of the heap, at least one message of the largest size. */
    static ReceiveBudget forMessagesUpTo(int maxMessageSize) {
        return new ReceiveBudget(Math.max(maxMessageSize, Runtime.getRuntime().maxMemory() / 4));
    }

    /** Takes {@code bytes} of the budget; false (taking nothing) when that much is not left. */
    boolean reserve(long bytes) {
        while (true) {
            long left = available.get();
            if (left < bytes) {
                return false;
            }
            if (available.compareAndSet(left, left - bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        available.addAndGet(bytes);
    }

    long available() {
        return available.get();
    }
}
