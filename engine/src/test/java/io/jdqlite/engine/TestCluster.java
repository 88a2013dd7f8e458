package io.jdqlite.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** N engines in this JVM on loopback ports {@code basePort+i} (client) and {@code basePort+100+i} (Raft). */
final class TestCluster implements AutoCloseable {
    final Path root;
    final List<Member> members = new ArrayList<>();
    final Engine[] engines;
    private final EngineConfig.Builder template;

    TestCluster(Path root, int n, int basePort) {
        this(root, n, basePort, EngineConfig.builder());
    }

    TestCluster(Path root, int n, int basePort, EngineConfig.Builder template) {
        this.root = root;
        this.template = template;
        for (int i = 1; i <= n; i++) {
            members.add(new Member(i, "127.0.0.1:" + (basePort + i), "127.0.0.1:" + (basePort + 100 + i), Role.VOTER));
        }
        this.engines = new Engine[n];
    }

    TestCluster startAll() throws IOException {
        for (int i = 0; i < engines.length; i++) {
            start(i);
        }
        awaitLeader();
        return this;
    }

    Engine start(int i) throws IOException {
        Member m = members.get(i);
        EngineConfig cfg = template
                .nodeId(m.id())
                .dataDir(dir(i))
                .address(m.address())
                .raftAddress(m.raftAddress())
                .initialMembers(members)
                .electionTimeout(Duration.ofMillis(400), Duration.ofMillis(800))
                .writeTimeout(Duration.ofSeconds(5))
                .build();
        engines[i] = Engine.start(cfg);
        return engines[i];
    }

    Path dir(int i) {
        return root.resolve("node" + (i + 1));
    }

    void stop(int i) {
        if (engines[i] != null) {
            engines[i].close();
            engines[i] = null;
        }
    }

    void wipe(int i) throws IOException {
        stop(i);
        SnapshotStore.deleteTree(dir(i));
        Files.createDirectories(dir(i));
    }

    int awaitLeader() {
        int[] found = {-1};
        await().atMost(20, TimeUnit.SECONDS).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (int i = 0; i < engines.length; i++) {
                if (engines[i] != null && engines[i].isLeader()) {
                    found[0] = i;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    Engine leader() {
        return engines[awaitLeader()];
    }

    /** Runs SQL on the leader, retrying while leadership settles. */
    ExecResult exec(String db, String sql, Object... params) {
        return await().atMost(20, TimeUnit.SECONDS).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
            try (Session s = leader().openSession(db)) {
                return s.execSql(sql, List.of(params)).get(10, TimeUnit.SECONDS);
            }
        }, r -> true);
    }

    QueryResult query(String db, String sql, Object... params) {
        return await().atMost(20, TimeUnit.SECONDS).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
            try (Session s = leader().openSession(db)) {
                return s.querySql(sql, List.of(params)).get(10, TimeUnit.SECONDS);
            }
        }, r -> true);
    }

    @Override
    public void close() {
        for (int i = 0; i < engines.length; i++) {
            stop(i);
        }
    }
}
