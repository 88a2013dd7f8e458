package io.jdqlite.cli;

import picocli.CommandLine.Command;

/** Placeholder; replaced by its owner in this change. */
@Command(name = "bench", description = "(being written)")
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        throw new IllegalStateException("bench is being written");
    }
}
