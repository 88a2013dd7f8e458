package io.jdqlite.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real C dqlite nodes for the compatibility tests: {@code dqlite-benchmark} processes from Debian's go-dqlite
 * package, each serving one address, the first founding the cluster and the others joining it.
 */
public final class CDqliteNodes implements AutoCloseable {
    private static final Path BENCHMARK = Path.of("/usr/bin/dqlite-benchmark");

    private final Path dir;
    private final List<String> addresses;
    private final Process[] processes;
    private final List<DqliteClient> clients = new ArrayList<>();

    public CDqliteNodes(Path dir, List<String> addresses) {
        this.dir = dir;
        this.addresses = List.copyOf(addresses);
        this.processes = new Process[addresses.size()];
    }

    /**
     * Skips the calling test when go-dqlite is not installed, or fails it under {@code -Djdqlite.requireDqlite}
     * (CI), so that a missing package cannot pass for compatibility.
     */
    public static void assumeInstalled() {
        boolean present = Files.isExecutable(BENCHMARK);
        assertThat(present || !Boolean.getBoolean("jdqlite.requireDqlite"))
                .as("go-dqlite's dqlite-benchmark is required (-Djdqlite.requireDqlite)").isTrue();
        assumeTrue(present, "needs " + BENCHMARK + " (apt-get install go-dqlite)");
    }

    /** One node, its own cluster, once it answers as the leader (after {@link #assumeInstalled}). */
    public static CDqliteNodes startSingle(Path dir, String address) throws Exception {
        assumeInstalled();
        CDqliteNodes nodes = new CDqliteNodes(dir, List.of(address));
        nodes.start(0);
        try (DqliteClient probe = nodes.client()) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> probe.leader().address().equals(address));
        }
        return nodes;
    }

    /**
     * A client of these nodes that looks for a leader for up to 30 s (a C node elects itself in a few); closed
     * with the nodes.
     */
    public DqliteClient client() {
        DqliteClient client = DqliteClient.create(ClientConfig.builder().addresses(addresses)
                .leaderSearchTimeout(Duration.ofSeconds(30)).build());
        clients.add(client);
        return client;
    }

    public List<String> addresses() {
        return addresses;
    }

    /** Starts node {@code i} (from 0); every node but the first joins the first. Its output goes to c{i}.log. */
    public Process start(int i) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(BENCHMARK.toString(), "--db", addresses.get(i), "--dir",
                dir.resolve("c" + i).toString()));
        if (i > 0) {
            cmd.addAll(List.of("--join", addresses.get(0)));
        }
        processes[i] = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("c" + i + ".log").toFile()).start();
        return processes[i];
    }

    /** kill -9 of node {@code i}, waiting for it to be gone. */
    public void kill(int i) throws InterruptedException {
        if (processes[i] != null) {
            processes[i].destroyForcibly().waitFor();
        }
    }

    /** Closes the clients it gave, then kills every node. */
    @Override
    public void close() {
        clients.forEach(DqliteClient::close);
        for (Process p : processes) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
        for (Process p : processes) {
            if (p != null) {
                try {
                    p.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
