package io.jdqlite.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keeps DUMP copies and spilled query results from filling the node's disk: the Raft log and the databases
 * live on the same file system, and a node that cannot append to its log stops serving. A copy claims the most
 * it can take before it starts, a spilled result a step at a time as it grows; either goes ahead only if the
 * disk keeps the reserve free beyond that and beyond what the others still being written claimed.
 */
final class DiskReserve {
    private final LongSupplier usableBytes;
    private final long reserveBytes;
    /** Bytes claimed by copies being made (a finished copy's file counts in the usable space itself). */
    private final AtomicLong claimed = new AtomicLong();

    DiskReserve(LongSupplier usableBytes, long reserveBytes) {
        this.usableBytes = usableBytes;
        this.reserveBytes = reserveBytes;
    }

    /** The space of the file system holding {@code dir}. */
    static DiskReserve of(Path dir, long reserveBytes) {
        return new DiskReserve(() -> {
            try {
                return Files.getFileStore(dir).getUsableSpace();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, reserveBytes);
    }

    /** A claim on the disk, given back once the copy is made (or failed). */
    interface Claim extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Claims {@code bytes} for {@code what} ("a dump of app"), or fails with SQLITE_FULL saying how much it
     * needs and how much is free.
     */
    Claim claim(String what, long bytes) {
        long others = claimed.getAndAdd(bytes);
        long usable = usableBytes.getAsLong();
        if (usable - others - bytes < reserveBytes) {
            claimed.addAndGet(-bytes);
            throw new EngineException(ErrorCodes.SQLITE_FULL, "not enough disk space on this node for " + what
                    + ": it takes up to " + mib(bytes) + ", " + mib(usable) + " are free"
                    + (others > 0 ? " (" + mib(others) + " of it taken by other dumps and spilled results being written)" : "")
                    + ", and " + mib(reserveBytes) + " stay free for the Raft log and the databases");
        }
        return () -> claimed.addAndGet(-bytes);
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
