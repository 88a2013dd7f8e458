package io.jdqlite.cli;

import picocli.CommandLine.Command;

/** Placeholder; replaced by its owner in this change. */
@Command(name = "local", description = "(being written)")
final class LocalCommand implements Runnable {
    @Override
    public void run() {
        throw new IllegalStateException("local is being written");
    }
}
