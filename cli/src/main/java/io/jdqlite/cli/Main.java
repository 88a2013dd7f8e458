package io.jdqlite.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/jdqlite} (every subcommand but {@code node}, which runs the Quarkus node). */
@Command(name = "jdqlite", mixinStandardHelpOptions = true, version = "jdqlite 0.1.0",
        description = "Distributed SQLite speaking the dqlite wire protocol.",
        subcommands = {LocalCommand.class, ShellCommand.class, BenchCommand.class, RaceReportCommand.class, RecoverCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
