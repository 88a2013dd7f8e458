package io.jdqlite.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jdqlite.engine.Engine;
import io.jdqlite.engine.EngineConfig;
import io.jdqlite.engine.Member;
import io.jdqlite.engine.Role;
import io.jdqlite.wire.ErrorCodes;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node serves at most jdqlite.max-connections clients at once (ports 24970, 24975). */
class ConnectionLimitTest {
    private static final int PORT = 24970;

    @TempDir
    Path tmp;

    @Test
    void aConnectionOverTheLimitIsToldWhyAndClosedAndTheOthersGoOn() throws Exception {
        Member self = new Member(1, "127.0.0.1:" + PORT, "127.0.0.1:24975", Role.VOTER);
        try (Engine engine = Engine.start(EngineConfig.builder().nodeId(1).dataDir(tmp).address(self.address())
                .raftAddress(self.raftAddress()).initialMembers(List.of(self))
                .electionTimeout(Duration.ofMillis(400), Duration.ofMillis(800)).build());
             DqliteServer server = new DqliteServer(engine, new NodeMetadata(0, 0), 1 << 20, 2)) {
            server.start("127.0.0.1", PORT);
            await().atMost(Duration.ofSeconds(20)).until(engine::isLeader);
            WireClient first = new WireClient(PORT);
            try (WireClient second = new WireClient(PORT)) {
                assertThat(first.call(new Request.Leader())).isInstanceOf(Response.Server.class);
                assertThat(second.call(new Request.Leader())).isInstanceOf(Response.Server.class);

                try (WireClient third = new WireClient(PORT)) {
                    Response refused = third.call(new Request.Leader());
                    assertThat(refused).isInstanceOf(Response.Failure.class);
                    Response.Failure f = (Response.Failure) refused;
                    assertThat(f.code()).isEqualTo((long) ErrorCodes.SQLITE_BUSY);
                    assertThat(f.message()).contains("2 client connections", "jdqlite.max-connections");
                    assertThat(third.closedByServer()).isTrue();
                }
                // The connections within the limit are served as before.
                assertThat(second.call(new Request.Leader())).isInstanceOf(Response.Server.class);

                // One closes: its place is free again.
                first.close();
                await().atMost(Duration.ofSeconds(10)).until(() -> server.connections().size() == 1);
                try (WireClient next = new WireClient(PORT)) {
                    assertThat(next.call(new Request.Leader())).isInstanceOf(Response.Server.class);
                }
            }
        }
    }

    @Test
    void aRefusedClientThatSendsNothingIsClosedSoon() throws Exception {
        Member self = new Member(1, "127.0.0.1:" + (PORT + 1), "127.0.0.1:24976", Role.VOTER);
        try (Engine engine = Engine.start(EngineConfig.builder().nodeId(1).dataDir(tmp).address(self.address())
                .raftAddress(self.raftAddress()).initialMembers(List.of(self))
                .electionTimeout(Duration.ofMillis(400), Duration.ofMillis(800)).build());
             DqliteServer server = new DqliteServer(engine, new NodeMetadata(0, 0), 1 << 20, 1)) {
            server.start("127.0.0.1", PORT + 1);
            try (WireClient kept = new WireClient(PORT + 1); WireClient silent = new WireClient(PORT + 1)) {
                assertThat(kept.call(new Request.Leader())).isNotNull();
                // The silent one never sends a request: the node closes it rather than hold its socket.
                assertThat(silent.closedByServer()).isTrue();
            }
        }
    }
}
