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

    @Test
    void aFounderWhoseDataWasLostRejoinsUnderAFreshIdAndItsOldSelfIsRemoved() throws Exception {
        List<Member> founders = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            founders.add(new Member(i, "127.0.0.1:" + (22520 + i), "127.0.0.1:" + (22570 + i), Role.VOTER));
        }
        Engine[] engines = new Engine[3];
        List<DqliteServer> servers = new ArrayList<>();
        try {
            for (Member m : founders) {
                int port = 22520 + (int) m.id();
                engines[(int) m.id() - 1] = Engine.start(config(tmp.resolve("n" + m.id()), m.id(), port)
                        .initialMembers(founders).build());
                DqliteServer s = new DqliteServer(engines[(int) m.id() - 1], new NodeMetadata(0, 0), 1 << 20);
                s.start("127.0.0.1", port);
                servers.add(s);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> java.util.Arrays.stream(engines).anyMatch(Engine::isLeader));
            int victim = engines[2].isLeader() ? 1 : 2;
            long victimId = victim + 1;
            engines[victim].close();
            servers.get(victim).close();
            engines[victim] = null;
            try (var files = java.nio.file.Files.walk(tmp.resolve("n" + victimId))) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
            // Restarted with its old id and the join addresses, on an empty directory.
            int port = 22520 + (int) victimId;
            EngineConfig again = config(tmp.resolve("n" + victimId), victimId, port)
                    .joinAddresses(founders.stream().filter(m -> m.id() != victimId).map(Member::address).toList()).build();
            try (Engine reborn = Engine.start(again); ClusterJoiner j = ClusterJoiner.startIfNeeded(reborn, again)) {
                assertThat(reborn.nodeId()).as("never the identity whose data was lost").isNotEqualTo(victimId);
                Engine leader = java.util.Arrays.stream(engines).filter(e -> e != null && e.isLeader()).findFirst().orElseThrow();
                await().atMost(Duration.ofSeconds(60)).until(() -> leader.members().stream()
                        .anyMatch(m -> m.id() == reborn.nodeId() && m.role() == Role.VOTER));
                await().atMost(Duration.ofSeconds(30)).until(() -> leader.members().stream().noneMatch(m -> m.id() == victimId));
                assertThat(leader.members()).extracting(Member::address).doesNotHaveDuplicates();
            }
        } finally {
            servers.forEach(DqliteServer::close);
            for (Engine e : engines) {
                if (e != null) {
                    e.close();
                }
            }
        }
    }
}
