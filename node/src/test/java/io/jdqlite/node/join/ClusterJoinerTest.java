package io.jdqlite.node.join;

import io.jdqlite.engine.Engine;
import io.jdqlite.engine.EngineConfig;
import io.jdqlite.engine.Member;
import io.jdqlite.engine.Role;
import io.jdqlite.engine.RolesPolicy;
import io.jdqlite.node.gateway.DqliteServer;
import io.jdqlite.node.gateway.NodeMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A node started empty with join addresses adds itself over the wire protocol (ports 22500-22599). */
class ClusterJoinerTest {
    @TempDir
    Path tmp;

    private static EngineConfig.Builder config(Path dir, long id, int port) {
        return EngineConfig.builder().nodeId(id).dataDir(dir).address("127.0.0.1:" + port)
                .raftAddress("127.0.0.1:" + (port + 50))
                .electionTimeout(Duration.ofMillis(400), Duration.ofMillis(800)).writeTimeout(Duration.ofSeconds(5))
                .roles(new RolesPolicy(true, 3, 1, Duration.ofSeconds(5)));
    }

    @Test
    void anEmptyNodeWithJoinAddressesAddsItselfAndIsPromoted() throws Exception {
        List<Member> founders = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            founders.add(new Member(i, "127.0.0.1:" + (22500 + i), "127.0.0.1:" + (22550 + i), Role.VOTER));
        }
        List<Engine> engines = new ArrayList<>();
        List<DqliteServer> servers = new ArrayList<>();
        try {
            for (Member m : founders) {
                Engine e = Engine.start(config(tmp.resolve("n" + m.id()), m.id(), 22500 + (int) m.id())
                        .initialMembers(founders).build());
                engines.add(e);
                DqliteServer s = new DqliteServer(e, new NodeMetadata(0, 0), 1 << 20);
                s.start("127.0.0.1", 22500 + (int) m.id());
                servers.add(s);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> engines.stream().anyMatch(Engine::isLeader));
            // A Raft port that is not client port + 1000: it travels in the ADD address.
            EngineConfig joinerConfig = config(tmp.resolve("joiner"), 0, 22510)
                    .joinAddresses(List.of("127.0.0.1:22502", "127.0.0.1:22503")).build();
            assertThat(ClusterJoiner.addAddress(joinerConfig)).isEqualTo("127.0.0.1:22510/127.0.0.1:22560");
            try (Engine joiner = Engine.start(joinerConfig);
                 ClusterJoiner j = ClusterJoiner.startIfNeeded(joiner, joinerConfig)) {
                assertThat(joiner.nodeId()).as("a fresh id").isNotIn(1L, 2L, 3L);
                await().atMost(Duration.ofSeconds(40)).until(() -> joiner.status().member());
                Engine leader = engines.stream().filter(Engine::isLeader).findFirst().orElseThrow();
                await().atMost(Duration.ofSeconds(20)).until(() -> leader.members().stream()
                        .anyMatch(m -> m.id() == joiner.nodeId() && m.role() == Role.STANDBY
                                && m.raftAddress().equals("127.0.0.1:22560")));
                await().atMost(Duration.ofSeconds(20)).until(() -> joiner.status().caughtUp());
            }
        } finally {
            servers.forEach(DqliteServer::close);
            engines.forEach(Engine::close);
        }
    }
}
