package io.jdqlite.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The node application with a one-member cluster (see the %test profile): health, metrics and the admin API. */
@QuarkusTest
@QuarkusTestResource(FreshDataDir.class)
class NodeApplicationTest {
    private final NodeHttp http = new NodeHttp(22081);

    @Inject
    NodeMetrics metrics;

    @Test
    void livenessReportsTheEngine() {
        NodeHttp.Reply r = http.get("/q/health/live");

        assertThat(r.status()).isEqualTo(200);
        JsonNode check = r.json().get("checks").get(0);
        assertThat(check.get("name").asText()).isEqualTo("engine");
        assertThat(check.get("data").get("nodeId").asText()).isEqualTo("1");
    }

    @Test
    void becomesReadyOnceTheSingleMemberIsCaughtUp() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.get("/q/health/ready").status()).isEqualTo(200));
        JsonNode data = http.get("/q/health/ready").json().get("checks").get(0).get("data");
        assertThat(data.get("member").asBoolean()).isTrue();
        assertThat(data.get("leaderId").asText()).isEqualTo("1");
    }

    @Test
    void exportsEngineStatusAndRequestHistograms() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.get("/q/metrics").body()).contains("jdqlite_raft_leader 1.0"));
        metrics.requestTimer("exec_sql").record(Duration.ofMillis(3));

        String text = http.get("/q/metrics").body();
        assertThat(text).contains("jdqlite_raft_members 1.0", "jdqlite_raft_leader_id 1.0", "jdqlite_raft_term ",
                "jdqlite_raft_commit_index ", "jdqlite_raft_applied_index ", "jdqlite_raft_snapshot_index ",
                "jdqlite_raft_replication_lag 0.0", "jdqlite_wal_pages ", "jdqlite_checkpoints_total ", "jdqlite_snapshots_taken_total ",
                "jdqlite_snapshots_installed_total ");
        assertThat(text).containsPattern("jdqlite_requests_seconds_bucket\\{.*type=\"exec_sql\"");
        assertThat(text).containsPattern("jdqlite_requests_seconds_count\\{type=\"exec_sql\"} 1\\.0");
        assertThat(metrics.requestTimer("exec_sql").count()).isEqualTo(1);
    }

    @Test
    void statusDescribesThisNodeAndItsMembers() {
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/admin/status").json().get("leader").asBoolean());
        JsonNode s = http.get("/admin/status").json();

        assertThat(s.get("nodeId").asLong()).isEqualTo(1);
        assertThat(s.get("address").asText()).isEqualTo("127.0.0.1:22011");
        assertThat(s.get("role").asText()).isEqualTo("VOTER");
        assertThat(s.get("leaderId").asLong()).isEqualTo(1);
        assertThat(s.get("leaderAddress").asText()).isEqualTo("127.0.0.1:22011");
        assertThat(s.get("members")).hasSize(1);
        assertThat(s.get("members").get(0).get("lag").asLong()).isZero();
    }

    @Test
    void spareMembersCanBeAddedAndRemoved() {
        awaitLeader();
        NodeHttp.Reply added = http.send("POST", "/admin/members",
                "{\"id\": 7, \"address\": \"127.0.0.1:22017\", \"role\": \"spare\"}");
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.json().get("members").findValuesAsText("role")).containsExactlyInAnyOrder("VOTER", "SPARE");

        NodeHttp.Reply duplicate = http.send("POST", "/admin/members",
                "{\"id\": 7, \"address\": \"127.0.0.1:22017\", \"role\": \"spare\"}");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().get("error").asText()).contains("already exists");

        NodeHttp.Reply removed = http.send("DELETE", "/admin/members/7", null);
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        assertThat(removed.json().get("members")).hasSize(1);
    }

    @Test
    void engineRefusalsMapToClientErrors() {
        awaitLeader();
        NodeHttp.Reply unknown = http.send("PUT", "/admin/members/99/role", "{\"role\": \"standby\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).contains("no node with id 99");

        NodeHttp.Reply lastVoter = http.send("PUT", "/admin/members/1/role", "{\"role\": \"spare\"}");
        assertThat(lastVoter.status()).isEqualTo(409);
        assertThat(lastVoter.json().get("error").asText()).contains("at least one voter");

        NodeHttp.Reply noOtherVoter = http.send("POST", "/admin/transfer", "{\"id\": 0}");
        assertThat(noOtherVoter.status()).isEqualTo(409);
        assertThat(noOtherVoter.json().get("error").asText()).contains("no other voter");
    }

    @Test
    void malformedRequestsAre400WithAReason() {
        NodeHttp.Reply badJson = http.send("POST", "/admin/members", "{\"id\": 7,");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.json().get("error").asText()).startsWith("bad JSON");

        NodeHttp.Reply badRole = http.send("POST", "/admin/members",
                "{\"id\": 7, \"address\": \"127.0.0.1:22017\", \"role\": \"king\"}");
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.json().get("error").asText()).contains("unknown role 'king'");

        NodeHttp.Reply badAddress = http.send("POST", "/admin/members", "{\"id\": 7, \"address\": \"nowhere\"}");
        assertThat(badAddress.status()).isEqualTo(400);
        assertThat(badAddress.json().get("error").asText()).contains("\"address\": 'nowhere' is not host:port");
        NodeHttp.Reply badRaftPort = http.send("POST", "/admin/members",
                "{\"id\": 7, \"address\": \"127.0.0.1:9007\", \"raftAddress\": \"127.0.0.1:70000\"}");
        assertThat(badRaftPort.status()).isEqualTo(400);
        assertThat(badRaftPort.json().get("error").asText())
                .contains("\"raftAddress\": '127.0.0.1:70000' has a port outside 1-65535");

        NodeHttp.Reply noBody = http.send("POST", "/admin/transfer", null);
        assertThat(noBody.status()).isEqualTo(400);

        NodeHttp.Reply badId = http.send("DELETE", "/admin/members/abc", null);
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().get("error").asText()).contains("bad node id 'abc'");
    }

    private void awaitLeader() {
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/admin/status").json().get("leader").asBoolean());
    }
}
