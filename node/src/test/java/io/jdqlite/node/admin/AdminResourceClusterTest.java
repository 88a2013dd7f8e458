package io.jdqlite.node.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jdqlite.engine.Engine;
import io.jdqlite.engine.EngineConfig;
import io.jdqlite.engine.Member;
import io.jdqlite.engine.Role;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin resource against a real three-engine cluster: leader-only operations and where they are refused. */
class AdminResourceClusterTest {
    private static final int BASE_PORT = 22400;
    private static final Engine[] ENGINES = new Engine[3];

    @TempDir
    static Path root;

    @BeforeAll
    static void startCluster() throws IOException {
        List<Member> members = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            members.add(new Member(i, "127.0.0.1:" + (BASE_PORT + i), "127.0.0.1:" + (BASE_PORT + 10 + i), Role.VOTER));
        }
        for (int i = 0; i < 3; i++) {
            Member m = members.get(i);
            ENGINES[i] = Engine.start(EngineConfig.builder().nodeId(m.id()).dataDir(root.resolve("n" + m.id()))
                    .address(m.address()).raftAddress(m.raftAddress()).initialMembers(members)
                    .electionTimeout(Duration.ofMillis(400), Duration.ofMillis(800)).build());
        }
    }

    @AfterAll
    static void stopCluster() {
        Arrays.stream(ENGINES).filter(Objects::nonNull).forEach(Engine::close);
    }

    private static AdminResource resourceOn(Engine engine) {
        AdminResource r = new AdminResource();
        r.engine = engine;
        return r;
    }

    private static Engine leader() {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> Arrays.stream(ENGINES).filter(Engine::isLeader).findFirst().orElse(null), Objects::nonNull);
    }

    private static Engine aFollower(Engine leader) {
        return Arrays.stream(ENGINES).filter(e -> e != leader).findFirst().orElseThrow();
    }

    private static Response call(java.util.concurrent.CompletionStage<Response> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void followersRefuseMutationsWithTheLeadersWhereabouts() {
        Engine leader = leader();
        await().atMost(Duration.ofSeconds(30)).until(() -> aFollower(leader).leader().isPresent());
        AdminResource follower = resourceOn(aFollower(leader));

        for (Response r : List.of(
                call(follower.remove("3")),
                call(follower.assign("3", new RoleRequest("standby"))),
                call(follower.transfer(new TransferRequest(0L))),
                call(follower.add(new MemberRequest(9L, "127.0.0.1:22409", "127.0.0.1:22419", "spare"))))) {
            assertThat(r.getStatus()).isEqualTo(409);
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) r.getEntity();
            assertThat(body).containsEntry("error", "not leader")
                    .containsEntry("leaderId", leader.nodeId())
                    .containsEntry("leaderAddress", leader.address());
        }
        assertThat(leader.members()).hasSize(3);
    }

    @Test
    void leaderTransfersLeadershipToTheNamedVoter() {
        Engine leader = leader();
        Engine target = aFollower(leader);

        Response r = call(resourceOn(leader).transfer(new TransferRequest(target.nodeId())));

        assertThat(r.getStatus()).as(String.valueOf(r.getEntity())).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(target::isLeader);
    }
}
