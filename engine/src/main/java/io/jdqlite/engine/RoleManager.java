package io.jdqlite.engine;

import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Automatic roles on the leader (dqlite's roles.c / go-dqlite's app): keeps the voter and standby targets
 * among members that answer, promoting standbys before spares, and demotes members that stopped answering
 * once a replacement took their place. One change per round, and only when the previous one finished, so
 * the configuration never drops below a quorum mid-change.
 */
final class RoleManager {
    private static final Logger LOG = LoggerFactory.getLogger(RoleManager.class);
    private final Node node;
    private final RolesPolicy policy;
    private CompletableFuture<Void> inProgress = CompletableFuture.completedFuture(null);
    /** Members whose last change failed (a spare that is not there, say) rest before the next try. */
    private final Map<Long, Long> restUntil = new java.util.concurrent.ConcurrentHashMap<>();

    RoleManager(Node node, RolesPolicy policy) {
        this.node = node;
        this.policy = policy;
    }

    /** One round: at most one role change. Runs on the node's scheduler. */
    synchronized void round() {
        if (!policy.enabled() || !inProgress.isDone() || !node.isLeader()) {
            return;
        }
        Map<Long, Long> silence = silenceMillis();
        List<Member> members = node.members();
        Optional<Change> next = decide(members, silence);
        next.ifPresent(c -> {
            LOG.info("roles: node {} {} -> {} ({})", Long.toUnsignedString(c.id), c.from, c.to, c.why);
            inProgress = node.membership().assign(c.id, c.to).whenComplete((ok, err) -> {
                if (err != null) {
                    restUntil.put(c.id, System.nanoTime() + 30_000_000_000L);
                    LOG.info("roles: changing node {} to {} failed: {}", Long.toUnsignedString(c.id), c.to, err.toString());
                }
            });
        });
    }

    record Change(long id, Role from, Role to, String why) {
    }

    /** The next change, or none (pure, for tests). Spares' health is unknown here: they count as online. */
    Optional<Change> decide(List<Member> members, Map<Long, Long> silence) {
        long self = node.nodeId();
        long limit = policy.offlineAfter().toMillis();
        long now = System.nanoTime();
        restUntil.values().removeIf(t -> t - now < 0);
        java.util.function.Predicate<Member> online = m -> !restUntil.containsKey(m.id()) && (m.id() == self
                || m.role() == Role.SPARE || silence.getOrDefault(m.id(), Long.MAX_VALUE) < limit);
        List<Member> voters = members.stream().filter(m -> m.role() == Role.VOTER).toList();
        List<Member> standbys = members.stream().filter(m -> m.role() == Role.STANDBY).toList();
        long onlineVoters = voters.stream().filter(online).count();
        Comparator<Member> promoteOrder = Comparator.comparingInt((Member m) -> m.role() == Role.STANDBY ? 0 : 1)
                .thenComparingLong(Member::id);
        Optional<Member> candidate = members.stream().filter(m -> m.role() != Role.VOTER && online.test(m))
                .min(promoteOrder);
        if (onlineVoters < policy.voters() && candidate.isPresent()) {
            Member c = candidate.get();
            return Optional.of(new Change(c.id(), c.role(), Role.VOTER, "online voters " + onlineVoters + " < " + policy.voters()));
        }
        if (voters.size() > policy.voters()) {
            Optional<Member> offline = voters.stream().filter(m -> m.id() != self && !online.test(m)).findFirst();
            if (offline.isPresent()) {
                return Optional.of(new Change(offline.get().id(), Role.VOTER, Role.SPARE, "voter stopped answering"));
            }
            if (onlineVoters > policy.voters()) {
                Member extra = voters.stream().filter(m -> m.id() != self).max(Comparator.comparingLong(Member::id)).orElseThrow();
                Role to = standbys.size() < policy.standbys() ? Role.STANDBY : Role.SPARE;
                return Optional.of(new Change(extra.id(), Role.VOTER, to, "voters above target " + policy.voters()));
            }
        }
        long onlineStandbys = standbys.stream().filter(online).count();
        Optional<Member> spare = members.stream().filter(m -> m.role() == Role.SPARE).min(Comparator.comparingLong(Member::id));
        if (onlineStandbys < policy.standbys() && spare.isPresent()) {
            return Optional.of(new Change(spare.get().id(), Role.SPARE, Role.STANDBY, "online standbys " + onlineStandbys + " < " + policy.standbys()));
        }
        Optional<Member> offlineStandby = standbys.stream().filter(m -> !online.test(m)).findFirst();
        if (offlineStandby.isPresent() && standbys.size() > policy.standbys()) {
            return Optional.of(new Change(offlineStandby.get().id(), Role.STANDBY, Role.SPARE, "standby stopped answering"));
        }
        return Optional.empty();
    }

    /** Milliseconds since each follower and listener last answered the leader. */
    private Map<Long, Long> silenceMillis() {
        Map<Long, Long> out = new HashMap<>();
        try {
            RaftServer.Division d = node.raft().division();
            RoleInfoProto info = d.getInfo().getRoleInfoProto();
            if (info.hasLeaderInfo()) {
                for (ServerRpcProto f : info.getLeaderInfo().getFollowerInfoList()) {
                    out.put(Long.parseUnsignedLong(f.getId().getId().toStringUtf8()), f.getLastRpcElapsedTimeMs());
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("roles: no follower information", e);
        }
        return out;
    }
}
