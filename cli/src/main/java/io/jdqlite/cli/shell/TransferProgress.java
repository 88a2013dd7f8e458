package io.jdqlite.cli.shell;

import io.jdqlite.client.DumpProgress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Reports a long transfer: a line every 64 MiB or every 5 seconds, whichever comes first, with the bytes so far
 * and the total. One that ends sooner prints nothing.
 */
final class TransferProgress implements DumpProgress {
    static final long STEP_BYTES = 64L << 20;
    static final long STEP_NANOS = 5_000_000_000L;

    private final PrintStream to;
    private final String what;
    private final LongSupplier nanoTime;
    private long lastBytes;
    private long lastNanos;

    /** {@code what}: the transfer, as the line starts ("fetching db"). */
    TransferProgress(PrintStream to, String what) {
        this(to, what, System::nanoTime);
    }

    TransferProgress(PrintStream to, String what, LongSupplier nanoTime) {
        this.to = to;
        this.what = what;
        this.nanoTime = nanoTime;
        this.lastNanos = nanoTime.getAsLong();
    }

    @Override
    public void received(long received, long total) {
        long now = nanoTime.getAsLong();
        if (received - lastBytes < STEP_BYTES && now - lastNanos < STEP_NANOS) {
            return;
        }
        lastBytes = received;
        lastNanos = now;
        to.printf(Locale.ROOT, "%s: %.1f of %.1f MiB (%d%%)%n", what, mib(received), mib(total),
                total == 0 ? 100 : received * 100 / total);
    }

    private static double mib(long bytes) {
        return bytes / (double) (1 << 20);
    }
}
