package io.jdqlite.client;

import io.jdqlite.engine.Engine;
import io.jdqlite.engine.EngineConfig;
import io.jdqlite.engine.Member;
import io.jdqlite.engine.Role;
import io.jdqlite.node.gateway.DqliteServer;
import io.jdqlite.node.gateway.NodeMetadata;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;

/** Three engines behind dqlite protocol servers in this JVM: client ports base+1.., Raft ports base+51... */
public final class InProcessCluster implements AutoCloseable {
    final List<Member> members = new ArrayList<>();
    final Engine[] engines;
    final DqliteServer[] servers;

    public InProcessCluster(Path root, int n, int base) throws IOException {
        for (int i = 1; i <= n; i++) {
            members.add(new Member(i, "127.0.0.1:" + (base + i), "127.0.0.1:" + (base + 50 + i), Role.VOTER));
        }
        engines = new Engine[n];
        servers = new DqliteServer[n];
        for (int i = 0; i < n; i++) {
            Member m = members.get(i);
            engines[i] = Engine.start(EngineConfig.builder().nodeId(m.id()).dataDir(root.resolve("node" + m.id()))
                    .address(m.address()).raftAddress(m.raftAddress()).initialMembers(members)
                    .electionTimeout(Duration.ofMillis(400), Duration.ofMillis(800)).writeTimeout(Duration.ofSeconds(5))
                    .build());
            servers[i] = new DqliteServer(engines[i], new NodeMetadata(0, 0), 64 << 20);
            servers[i].start("127.0.0.1", base + 1 + i);
        }
        leader();
    }

    int leader() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> IntStream.range(0, engines.length).filter(i -> engines[i].isLeader()).findFirst().orElse(-1),
                        i -> i >= 0);
    }

    public List<String> addresses() {
        return members.stream().map(Member::address).toList();
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
