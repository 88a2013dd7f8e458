package io.jdqlite.engine;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The next role change for a configuration (go-dqlite's app RolesChanges.Adjust), as a pure function so it
 * can be tested alone. Promotion prefers a candidate whose failure domain has no member in the target role
 * yet, then the lower weight, then a standby (it is caught up) over a spare; demotion takes a member from
 * the most crowded failure domain, then the higher weight.
 */
final class RoleDecision {
    record Change(long id, Role from, Role to, String why) {
    }

    private final long self;
    private final RolesPolicy policy;
    private final Predicate<Member> online;
    private final Map<Long, MemberMetadata> metadata;

    RoleDecision(long self, RolesPolicy policy, Predicate<Member> online, Map<Long, MemberMetadata> metadata) {
        this.self = self;
        this.policy = policy;
        this.online = online;
        this.metadata = metadata;
    }

    Optional<Change> next(List<Member> members) {
        List<Member> voters = withRole(members, Role.VOTER);
        List<Member> standbys = withRole(members, Role.STANDBY);
        List<Member> onlineVoters = voters.stream().filter(online).toList();
        if (onlineVoters.size() < policy.voters()) {
            Optional<Member> candidate = bestCandidate(members.stream()
                    .filter(m -> m.role() != Role.VOTER && online.test(m)).toList(), onlineVoters);
            if (candidate.isPresent()) {
                Member c = candidate.get();
                return Optional.of(new Change(c.id(), c.role(), Role.VOTER,
                        "online voters " + onlineVoters.size() + " < " + policy.voters()));
            }
        }
        if (voters.size() > policy.voters()) {
            Optional<Member> offline = voters.stream().filter(m -> m.id() != self && !online.test(m)).findFirst();
            if (offline.isPresent()) {
                return Optional.of(new Change(offline.get().id(), Role.VOTER, Role.SPARE, "voter stopped answering"));
            }
            if (onlineVoters.size() > policy.voters()) {
                Member extra = leastNeeded(voters.stream().filter(m -> m.id() != self).toList(), voters);
                Role to = standbys.size() < policy.standbys() ? Role.STANDBY : Role.SPARE;
                return Optional.of(new Change(extra.id(), Role.VOTER, to, "voters above target " + policy.voters()));
            }
        }
        List<Member> onlineStandbys = standbys.stream().filter(online).toList();
        if (onlineStandbys.size() < policy.standbys()) {
            Optional<Member> spare = bestCandidate(members.stream()
                    .filter(m -> m.role() == Role.SPARE && online.test(m)).toList(), onlineStandbys);
            if (spare.isPresent()) {
                return Optional.of(new Change(spare.get().id(), Role.SPARE, Role.STANDBY,
                        "online standbys " + onlineStandbys.size() + " < " + policy.standbys()));
            }
        }
        Optional<Member> offlineStandby = standbys.stream().filter(m -> !online.test(m)).findFirst();
        if (offlineStandby.isPresent() && standbys.size() > policy.standbys()) {
            return Optional.of(new Change(offlineStandby.get().id(), Role.STANDBY, Role.SPARE, "standby stopped answering"));
        }
        if (onlineStandbys.size() > policy.standbys()) {
            Member extra = leastNeeded(onlineStandbys, standbys);
            return Optional.of(new Change(extra.id(), Role.STANDBY, Role.SPARE, "standbys above target " + policy.standbys()));
        }
        return Optional.empty();
    }

    private static List<Member> withRole(List<Member> members, Role role) {
        return members.stream().filter(m -> m.role() == role).toList();
    }

    private MemberMetadata meta(Member m) {
        return metadata.getOrDefault(m.id(), MemberMetadata.UNKNOWN);
    }

    /** The candidate to promote into a role whose current holders are {@code holders}. */
    private Optional<Member> bestCandidate(List<Member> candidates, List<Member> holders) {
        Set<Long> taken = holders.stream().map(m -> meta(m).failureDomain()).collect(Collectors.toSet());
        Comparator<Member> order = Comparator
                .comparingInt((Member m) -> taken.contains(meta(m).failureDomain()) ? 1 : 0)
                .thenComparingLong(m -> meta(m).weight())
                .thenComparingInt(m -> m.role() == Role.STANDBY ? 0 : 1)
                .thenComparingLong(Member::id);
        return candidates.stream().min(order);
    }

    /** The member of {@code choices} to demote from a role whose holders are {@code holders}. */
    private Member leastNeeded(List<Member> choices, List<Member> holders) {
        Map<Long, Long> perDomain = holders.stream()
                .collect(Collectors.groupingBy(m -> meta(m).failureDomain(), Collectors.counting()));
        Comparator<Member> order = Comparator
                .comparingLong((Member m) -> perDomain.getOrDefault(meta(m).failureDomain(), 0L))
                .thenComparingLong(m -> meta(m).weight())
                .thenComparingLong(Member::id);
        return choices.stream().max(order).orElseThrow();
    }
}
