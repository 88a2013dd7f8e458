package io.jdqlite.node;

import io.jdqlite.engine.EngineStatus;
import io.jdqlite.engine.EngineStatus.MemberStatus;
import io.jdqlite.engine.Role;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EngineMetricsTest {

    private static EngineStatus status(boolean leader, List<MemberStatus> members) {
        return new EngineStatus(1, "127.0.0.1:9001", Role.VOTER, true, leader, leader ? 1 : 2, "127.0.0.1:9001",
                3, 500, 500, 0, true, 0, 0, 0, 0, members);
    }

    @Test
    void replicationLagIsTheMostAnyMemberIsBehindOnTheLeader() {
        EngineStatus s = status(true, List.of(
                new MemberStatus(1, "127.0.0.1:9001", Role.VOTER, 500, 0),
                new MemberStatus(2, "127.0.0.1:9002", Role.VOTER, 380, 120),
                new MemberStatus(3, "127.0.0.1:9003", Role.VOTER, 495, 5)));
        assertThat(EngineMetrics.replicationLag(s)).isEqualTo(120);
    }

    @Test
    void membersWhoseProgressIsUnknownDoNotCountAndFollowersReportNothing() {
        List<MemberStatus> unknown = List.of(
                new MemberStatus(1, "127.0.0.1:9001", Role.VOTER, 500, 0),
                new MemberStatus(2, "127.0.0.1:9002", Role.SPARE, -1, -1));
        assertThat(EngineMetrics.replicationLag(status(true, unknown))).isZero();
        List<MemberStatus> behind = List.of(new MemberStatus(3, "127.0.0.1:9003", Role.VOTER, 1, 499));
        assertThat(EngineMetrics.replicationLag(status(false, behind))).isZero();
    }
}
