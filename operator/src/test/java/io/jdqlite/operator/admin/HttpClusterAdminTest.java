package io.jdqlite.operator.admin;

import io.fabric8.mockwebserver.DefaultMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.jdqlite.operator.api.MemberRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin HTTP client against two fake nodes (fabric8 mock web servers on loopback). */
class HttpClusterAdminTest {
    private DefaultMockServer follower;
    private DefaultMockServer leader;
    private String followerAddress;
    private String leaderAddress;

    @BeforeEach
    void start() {
        follower = new DefaultMockServer(false);
        leader = new DefaultMockServer(false);
        follower.start(InetAddress.getLoopbackAddress(), 0);
        leader.start(InetAddress.getLoopbackAddress(), 0);
        followerAddress = "127.0.0.1:" + follower.getPort();
        leaderAddress = "127.0.0.1:" + leader.getPort();
    }

    @AfterEach
    void stop() {
        follower.shutdown();
        leader.shutdown();
    }

    private static String status(long id, boolean isLeader) {
        return "{\"nodeId\":" + id + ",\"address\":\"db-" + (id - 1) + ".db-peers.ns.svc:9001\",\"role\":\"VOTER\","
                + "\"member\":true,\"leader\":" + isLeader + ",\"leaderId\":2,\"leaderAddress\":\"db-1.db-peers.ns.svc:9001\","
                + "\"term\":4,\"commitIndex\":40,\"appliedIndex\":39,\"snapshotIndex\":8,\"caughtUp\":true,\"walPages\":3,"
                + "\"checkpoints\":1,\"snapshotsTaken\":2,\"snapshotsInstalled\":0,\"someFutureField\":1,"
                + "\"members\":[{\"id\":1,\"address\":\"db-0.db-peers.ns.svc:9001\",\"role\":\"VOTER\",\"matchIndex\":40,\"lag\":0},"
                + "{\"id\":2,\"address\":\"db-1.db-peers.ns.svc:9001\",\"role\":\"VOTER\",\"matchIndex\":40,\"lag\":0}]}";
    }

    @Test
    void statusIsParsed() {
        follower.expect().get().withPath("/admin/status").andReturn(200, status(1, false)).once();
        ClusterAdmin admin = new HttpClusterAdmin(java.net.http.HttpClient.newHttpClient(), Duration.ofSeconds(2), List.of(followerAddress));
        NodeStatus s = admin.status(followerAddress);
        assertThat(s.nodeId()).isEqualTo(1);
        assertThat(s.role()).isEqualTo(MemberRole.VOTER);
        assertThat(s.leaderId()).isEqualTo(2);
        assertThat(s.appliedIndex()).isEqualTo(39);
        assertThat(s.members()).extracting(NodeStatus.Member::id).containsExactly(1L, 2L);
    }

    @Test
    void mutationFollowsTheLeaderNamedByA409() throws InterruptedException {
        follower.expect().get().withPath("/admin/status").andReturn(200, status(1, false)).once();
        leader.expect().get().withPath("/admin/status").andReturn(200, status(2, true)).once();
        follower.expect().post().withPath("/admin/members")
                .andReturn(409, "{\"error\":\"not leader\",\"leaderId\":2,\"leaderAddress\":\"db-1.db-peers.ns.svc:9001\"}").once();
        leader.expect().post().withPath("/admin/members").andReturn(200, "{}").once();
        HttpClusterAdmin admin = new HttpClusterAdmin(java.net.http.HttpClient.newHttpClient(), Duration.ofSeconds(2),
                List.of(followerAddress, leaderAddress));
        admin.status(followerAddress);
        admin.status(leaderAddress);
        follower.takeRequest(1, TimeUnit.SECONDS);
        leader.takeRequest(1, TimeUnit.SECONDS);

        admin.addMember(7, "db-3.db-peers.ns.svc:9001", MemberRole.SPARE);

        RecordedRequest sent = leader.takeRequest(1, TimeUnit.SECONDS);
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getBody().readUtf8()).contains("\"id\":7").contains("\"role\":\"SPARE\"").contains("db-3.db-peers.ns.svc:9001");
    }

    @Test
    void roleRemoveAndTransferUseTheDocumentedPaths() throws InterruptedException {
        leader.expect().put().withPath("/admin/members/5/role").andReturn(200, "{}").once();
        leader.expect().delete().withPath("/admin/members/5").andReturn(200, "{}").once();
        leader.expect().post().withPath("/admin/transfer").andReturn(200, "{}").once();
        ClusterAdmin admin = new HttpClusterAdmin(java.net.http.HttpClient.newHttpClient(), Duration.ofSeconds(2), List.of(leaderAddress));
        admin.assignRole(5, MemberRole.STANDBY);
        admin.removeMember(5);
        admin.transferLeadership(0);
        assertThat(leader.takeRequest(1, TimeUnit.SECONDS).getBody().readUtf8()).contains("\"role\":\"STANDBY\"");
        assertThat(leader.takeRequest(1, TimeUnit.SECONDS).getMethod()).isEqualTo("DELETE");
        assertThat(leader.takeRequest(1, TimeUnit.SECONDS).getBody().readUtf8()).contains("\"id\":0");
    }

    @Test
    void failuresBecomeClusterAdminExceptions() {
        leader.expect().post().withPath("/admin/members").andReturn(400, "{\"error\":\"bad role\"}").once();
        ClusterAdmin admin = new HttpClusterAdmin(java.net.http.HttpClient.newHttpClient(), Duration.ofSeconds(2), List.of(leaderAddress));
        assertThatThrownBy(() -> admin.addMember(1, "x:9001", MemberRole.VOTER))
                .isInstanceOf(ClusterAdminException.class).hasMessageContaining("400");
        follower.shutdown();
        assertThatThrownBy(() -> admin.status(followerAddress)).isInstanceOf(ClusterAdminException.class);
        assertThatThrownBy(() -> admin.status("not a host:port")).isInstanceOf(ClusterAdminException.class);
        follower = new DefaultMockServer(false); // for stop()
        follower.start(InetAddress.getLoopbackAddress(), 0);
    }
}
