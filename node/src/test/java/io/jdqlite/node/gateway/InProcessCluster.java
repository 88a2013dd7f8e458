package io.jdqlite.node.gateway;

import static org.awaitility.Awaitility.await;

import io.jdqlite.engine.Engine;
import io.jdqlite.engine.EngineConfig;
import io.jdqlite.engine.Member;
import io.jdqlite.engine.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * N real engines in this JVM, each behind a {@link DqliteServer}: client ports {@code basePort+i},
 * Raft ports {@code basePort+50+i} (i from 1), all on 127.0.0.1. Shared with the client and CLI tests
 * through this module's test jar.
 */
public final class InProcessCluster implements AutoCloseable {
    private final List<Member> members = new ArrayList<>();
    private final Engine[] engines;
    private final DqliteServer[] servers;
    private final Path[] dataDirs;

    /** A cluster with the node's default message and page limits. */
    public InProcessCluster(Path root, int n, int basePort) throws IOException {
        this(root, n, basePort, 64 << 20, RowsPager.DEFAULT_PAGE_BYTES);
    }

    public InProcessCluster(Path root, int n, int basePort, int maxMessageSize, int pageBytes) throws IOException {
        this(root, n, basePort, maxMessageSize, pageBytes, settings -> { });
    }

    /** {@code settings} adjusts every engine's configuration (a small result limit, say). */
    public InProcessCluster(Path root, int n, int basePort, Consumer<EngineConfig.Builder> settings) throws IOException {
        this(root, n, basePort, 64 << 20, RowsPager.DEFAULT_PAGE_BYTES, settings);
    }

    private InProcessCluster(Path root, int n, int basePort, int maxMessageSize, int pageBytes,
            Consumer<EngineConfig.Builder> settings) throws IOException {
        for (int i = 1; i <= n; i++) {
            members.add(new Member(i, "127.0.0.1:" + (basePort + i), "127.0.0.1:" + (basePort + 50 + i), Role.VOTER));
        }
        engines = new Engine[n];
        servers = new DqliteServer[n];
        dataDirs = new Path[n];
        try {
            for (int i = 0; i < n; i++) {
                Member m = members.get(i);
                Path dir = root.resolve("node" + m.id());
                dataDirs[i] = dir;
                EngineConfig.Builder config = EngineConfig.builder()
                        .nodeId(m.id()).dataDir(dir)
                        .address(m.address()).raftAddress(m.raftAddress())
                        .initialMembers(members)
                        // Production's timeouts: shorter ones call elections when a loaded 2-core machine delays a heartbeat.
                        .electionTimeout(Duration.ofMillis(1000), Duration.ofMillis(2000))
                        .writeTimeout(Duration.ofSeconds(5));
                settings.accept(config);
                engines[i] = Engine.start(config.build());
                NodeMetadata metadata = NodeMetadata.persistent(dir.resolve("meta.properties"), i, 0);
                servers[i] = new DqliteServer(engines[i], metadata, maxMessageSize, pageBytes, DqliteServer.DEFAULT_MAX_CONNECTIONS);
                servers[i].start("127.0.0.1", basePort + 1 + i);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        leader();
    }

    /** Index of the current leader, waiting for one. */
    public int leader() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> IntStream.range(0, engines.length).filter(i -> engines[i].isLeader()).findFirst()
                        .orElse(-1), i -> i >= 0);
    }

    /** Index of a member that is not the leader. */
    public int follower() {
        int l = leader();
        return l == 0 ? 1 : 0;
    }

    public Engine engine(int i) {
        return engines[i];
    }

    /** Client (dqlite protocol) address of member i. */
    public String address(int i) {
        return members.get(i).address();
    }

    public List<String> addresses() {
        return members.stream().map(Member::address).toList();
    }

    /** The data directory of member i. */
    public Path dataDir(int i) {
        return dataDirs[i];
    }

    /** The dqlite server of member i (for this package's tests). */
    DqliteServer server(int i) {
        return servers[i];
    }

    public int port(int i) {
        return servers[i].port();
    }

    @Override
    public void close() {
        for (DqliteServer s : servers) {
            if (s != null) {
                s.close();
            }
        }
        for (Engine e : engines) {
            if (e != null) {
                e.close();
            }
        }
    }
}
