package io.jdqlite.cli.faults;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Prints the end of every node's log when a fault test fails, so that a failure seen only on a CI machine
 * (whose target/ directory is gone afterwards) can still be diagnosed from the build output. The logs are
 * those {@link FaultToleranceTest} copies to target/faults/{test method} after each test.
 */
final class NodeLogsOnFailure implements TestWatcher {
    static final int TAIL_LINES = 200;

    static Path logsOf(String testMethod) {
        return Path.of("target", "faults", testMethod);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Path dir = logsOf(context.getRequiredTestMethod().getName());
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                int from = Math.max(0, lines.size() - TAIL_LINES);
                System.out.printf("===== %s: last %d of %d lines (whole log in %s) =====%n",
                        log.getFileName(), lines.size() - from, lines.size(), log.toAbsolutePath());
                lines.subList(from, lines.size()).forEach(System.out::println);
            }
        } catch (IOException e) {
            System.out.println("could not read the node logs in " + dir + ": " + e);
        }
    }
}
