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
import java.util.stream.IntStream;

/**
 * N real engines in this JVM, each behind a {@link DqliteServer}: client ports {@code basePort+i},
 * Raft ports {@code basePort+50+i} (i from 1), all on 127.0.0.1.
 */
final class GatewayCluster implements AutoCloseable {
    final List<Member> members = new ArrayList<>();
    final Engine[] engines;
    final DqliteServer[] servers;
    final NodeMetadata[] metadata;

    GatewayCluster(Path root, int n, int basePort, int maxMessageSize, int pageBytes) throws IOException {
        for (int i = 1; i <= n; i++) {
            members.add(new Member(i, "127.0.0.1:" + (basePort + i), "127.0.0.1:" + (basePort + 50 + i), Role.VOTER));
        }
        engines = new Engine[n];
        servers = new DqliteServer[n];
        metadata = new NodeMetadata[n];
        try {
            for (int i = 0; i < n; i++) {
                Member m = members.get(i);
                engines[i] = Engine.start(EngineConfig.builder()
                        .nodeId(m.id()).dataDir(root.resolve("node" + m.id()))
                        .address(m.address()).raftAddress(m.raftAddress())
                        .initialMembers(members)
                        .electionTimeout(Duration.ofMillis(400), Duration.ofMillis(800))
                        .writeTimeout(Duration.ofSeconds(5))
                        .build());
                metadata[i] = NodeMetadata.persistent(root.resolve("node" + m.id()).resolve("meta.properties"), i, 0);
                servers[i] = new DqliteServer(engines[i], metadata[i], maxMessageSize, pageBytes);
                servers[i].start("127.0.0.1", basePort + 1 + i);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        leader();
    }

    /** Index of the current leader, waiting for one. */
    int leader() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> IntStream.range(0, engines.length).filter(i -> engines[i].isLeader()).findFirst()
                        .orElse(-1), i -> i >= 0);
    }

    int follower() {
        int l = leader();
        return l == 0 ? 1 : 0;
    }

    int port(int i) {
        return servers[i].port();
    }

    String addresses() {
        return String.join(",", members.stream().map(Member::address).toList());
    }

    @Override
    public void close() {
        for (int i = 0; i < servers.length; i++) {
            if (servers[i] != null) {
                servers[i].close();
            }
        }
        for (Engine e : engines) {
            if (e != null) {
                e.close();
            }
        }
    }
}
