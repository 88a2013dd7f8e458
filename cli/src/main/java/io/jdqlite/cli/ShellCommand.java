package io.jdqlite.cli;

import picocli.CommandLine.Command;

/** Placeholder; replaced by its owner in this change. */
@Command(name = "shell", description = "(being written)")
final class ShellCommand implements Runnable {
    @Override
    public void run() {
        throw new IllegalStateException("shell is being written");
    }
}
