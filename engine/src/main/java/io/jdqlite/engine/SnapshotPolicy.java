package io.jdqlite.engine;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Whether a snapshot Ratis asks for (every {@code snapshotThresholdEntries} entries) is worth taking now.
 * A snapshot copies every database changed since the previous one, whole, however small the changes: with
 * a large database and small writes, a snapshot every few thousand entries rewrote the whole database over
 * and over (at the 64 MiB/s pace, a 10 GB database would never stop being copied). So a snapshot also
 * waits until the log written since the previous one holds at least {@code 1/COPY_PER_LOGGED_BYTE} of what
 * it would copy: a snapshot writes at most that many bytes per byte of log, and the log kept between two
 * snapshots stays under half of the changed databases' size.
 */
final class SnapshotPolicy {
    static final int COPY_PER_LOGGED_BYTE = 2;
    /** The size of what a snapshot would copy takes a file size per changed database: not on every entry. */
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Bytes of entries applied since this node started (apply thread only). */
    private volatile long logged;
    // guarded by this
    private long loggedAtLastSnapshot;
    private long copyBytes = -1;
    private long checkedAt;

    /** An entry of {@code bytes} was applied (apply thread). */
    void logged(long bytes) {
        logged += bytes;
    }

    /** The log position a snapshot captured now stands for (apply thread): for {@link #taken}. */
    long position() {
        return logged;
    }

    /** Whether enough log was written since the last snapshot for one copying {@code sizeToCopy} bytes. */
    synchronized boolean due(LongSupplier sizeToCopy) {
        long since = logged - loggedAtLastSnapshot;
        long now = System.nanoTime();
        if (copyBytes < 0 || since >= copyBytes / COPY_PER_LOGGED_BYTE || now - checkedAt >= RECHECK_NANOS) {
            copyBytes = sizeToCopy.getAsLong(); // it may have grown since it was last read
            checkedAt = now;
        }
        return since >= copyBytes / COPY_PER_LOGGED_BYTE;
    }

    /** A snapshot captured at {@code position} is complete. */
    synchronized void taken(long position) {
        loggedAtLastSnapshot = Math.max(loggedAtLastSnapshot, position);
        copyBytes = -1;
    }
}
