package io.jdqlite.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Automatic role choices: targets, failure domains, weights, offline members. */
class RoleDecisionTest {
    private static final RolesPolicy THREE_AND_ONE = new RolesPolicy(true, 3, 1, Duration.ofSeconds(10));

    private static Member m(long id, Role role) {
        return new Member(id, "127.0.0.1:" + (9000 + id), "127.0.0.1:" + (10000 + id), role);
    }

    private static Optional<RoleDecision.Change> decide(List<Member> members, Set<Long> offline,
                                                        Map<Long, MemberMetadata> metadata) {
        return new RoleDecision(1, THREE_AND_ONE, x -> !offline.contains(x.id()), metadata).next(members);
    }

    @Test
    void promotesACandidateFromAFailureDomainWithoutAVoter() {
        List<Member> members = List.of(m(1, Role.VOTER), m(2, Role.VOTER), m(3, Role.STANDBY), m(4, Role.SPARE));
        Map<Long, MemberMetadata> md = Map.of(
                1L, new MemberMetadata(1, 0), 2L, new MemberMetadata(2, 0),
                3L, new MemberMetadata(1, 0), 4L, new MemberMetadata(3, 0));
        // Without domains the standby (caught up, lower id) would win; domain 3 has no voter yet.
        assertThat(decide(members, Set.of(), md)).contains(new RoleDecision.Change(4, Role.SPARE, Role.VOTER, "online voters 2 < 3"));
        assertThat(decide(members, Set.of(), Map.of())).get().extracting(RoleDecision.Change::id).isEqualTo(3L);
    }

    @Test
    void prefersTheLowerWeightWithinEqualDomains() {
        List<Member> members = List.of(m(1, Role.VOTER), m(2, Role.VOTER), m(3, Role.SPARE), m(4, Role.SPARE));
        Map<Long, MemberMetadata> md = Map.of(3L, new MemberMetadata(0, 50), 4L, new MemberMetadata(0, 10));
        assertThat(decide(members, Set.of(), md)).get().extracting(RoleDecision.Change::id).isEqualTo(4L);
    }

    @Test
    void demotesFromTheMostCrowdedDomainThenTheHeaviest() {
        List<Member> members = List.of(m(1, Role.VOTER), m(2, Role.VOTER), m(3, Role.VOTER), m(4, Role.VOTER),
                m(5, Role.VOTER));
        Map<Long, MemberMetadata> md = new HashMap<>();
        md.put(1L, new MemberMetadata(1, 0));
        md.put(2L, new MemberMetadata(1, 5));
        md.put(3L, new MemberMetadata(2, 100));
        md.put(4L, new MemberMetadata(1, 1));
        md.put(5L, new MemberMetadata(3, 0));
        // Domain 1 holds three voters (1, 2, 4); of those that are not the leader (1), 2 weighs more.
        assertThat(decide(members, Set.of(), md)).contains(new RoleDecision.Change(2, Role.VOTER, Role.STANDBY, "voters above target 3"));
    }

    @Test
    void replacesAnOfflineVoterThenDemotesIt() {
        List<Member> members = List.of(m(1, Role.VOTER), m(2, Role.VOTER), m(3, Role.VOTER), m(4, Role.STANDBY));
        assertThat(decide(members, Set.of(3L), Map.of())).contains(new RoleDecision.Change(4, Role.STANDBY, Role.VOTER, "online voters 2 < 3"));
        List<Member> after = List.of(m(1, Role.VOTER), m(2, Role.VOTER), m(3, Role.VOTER), m(4, Role.VOTER));
        assertThat(decide(after, Set.of(3L), Map.of())).contains(new RoleDecision.Change(3, Role.VOTER, Role.SPARE, "voter stopped answering"));
    }

    @Test
    void neverDemotesTheLeaderAndLeavesAStableConfigurationAlone() {
        List<Member> members = List.of(m(1, Role.VOTER), m(2, Role.VOTER), m(3, Role.VOTER), m(4, Role.STANDBY));
        assertThat(decide(members, Set.of(), Map.of())).isEmpty();
        List<Member> four = List.of(m(1, Role.VOTER), m(2, Role.VOTER), m(3, Role.VOTER), m(4, Role.VOTER));
        Map<Long, MemberMetadata> md = Map.of(1L, new MemberMetadata(7, 999));
        assertThat(decide(four, Set.of(), md)).get().extracting(RoleDecision.Change::id).isNotEqualTo(1L);
    }

    @Test
    void spreadsStandbysAcrossDomainsAndTrimsExtraStandbys() {
        List<Member> members = List.of(m(1, Role.VOTER), m(2, Role.VOTER), m(3, Role.VOTER), m(4, Role.SPARE), m(5, Role.SPARE));
        Map<Long, MemberMetadata> md = Map.of(4L, new MemberMetadata(1, 0), 5L, new MemberMetadata(2, 0));
        RolesPolicy twoStandbys = new RolesPolicy(true, 3, 2, Duration.ofSeconds(10));
        assertThat(new RoleDecision(1, twoStandbys, x -> true, md).next(members)).get()
                .extracting(RoleDecision.Change::to).isEqualTo(Role.STANDBY);
        List<Member> extra = List.of(m(1, Role.VOTER), m(2, Role.VOTER), m(3, Role.VOTER), m(4, Role.STANDBY), m(5, Role.STANDBY));
        assertThat(decide(extra, Set.of(), Map.of())).contains(new RoleDecision.Change(5, Role.STANDBY, Role.SPARE, "standbys above target 1"));
    }
}
