package io.jdqlite.node.join;

import io.jdqlite.engine.Engine;
import io.jdqlite.engine.EngineConfig;
import io.jdqlite.engine.Member;
import io.jdqlite.engine.MemberMetadata;
import io.jdqlite.engine.Role;
import io.jdqlite.node.gateway.DqliteServer;
import io.jdqlite.node.gateway.NodeMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Role management learns failure domains and weights over the wire (ports 22590-22599). */
class WireDescriberTest {
    @TempDir
    Path tmp;

    @Test
    void describesPeersOverTheWireAndItselfLocally() throws Exception {
        Member self = new Member(1, "127.0.0.1:22591", "127.0.0.1:22596", Role.VOTER);
        try (Engine engine = Engine.start(EngineConfig.builder().nodeId(1).dataDir(tmp).address(self.address())
                .raftAddress(self.raftAddress()).initialMembers(List.of(self))
                .electionTimeout(Duration.ofMillis(400), Duration.ofMillis(800)).build());
             DqliteServer server = new DqliteServer(engine, new NodeMetadata(7, 42), 1 << 20)) {
            server.start("127.0.0.1", 22591);
            await().atMost(Duration.ofSeconds(20)).until(engine::isLeader);
            NodeMetadata local = new NodeMetadata(3, 5);
            WireDescriber describer = new WireDescriber(2, local);
            // Node 2 asking about node 1: a DESCRIBE to node 1's client port.
            assertThat(describer.describe(self)).contains(new MemberMetadata(7, 42));
            local.setWeight(9);
            assertThat(describer.describe(new Member(2, "127.0.0.1:1", "127.0.0.1:2", Role.VOTER)))
                    .as("itself, without the network").contains(new MemberMetadata(3, 9));
            assertThat(describer.describe(new Member(3, "127.0.0.1:22599", "127.0.0.1:22598", Role.SPARE)))
                    .as("a member that does not answer").isEmpty();
        }
    }
}
