package io.jdqlite.node;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** Gives the test application a new, empty data directory, so each run bootstraps a fresh cluster. */
public class FreshDataDir implements QuarkusTestResourceLifecycleManager {
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("jdqlite-node-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("jdqlite.data-dir", dir.toString());
    }

    @Override
    public void stop() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
