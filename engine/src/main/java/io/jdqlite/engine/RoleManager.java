package io.jdqlite.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Automatic roles on the leader (dqlite's roles.c / go-dqlite's app): keeps the voter and standby targets
 * among members that answer (choosing by failure domain and weight, see {@link RoleDecision}), and demotes
 * members that stopped answering once a replacement took their place. One change per round, and only when
 * the previous one finished, so the configuration never drops below a quorum mid-change.
 */
final class RoleManager {
    private static final Logger LOG = LoggerFactory.getLogger(RoleManager.class);
    private final Node node;
    private final RolesPolicy policy;
    private CompletableFuture<Void> inProgress = CompletableFuture.completedFuture(null);
    /** Members whose last change failed (a spare that is not there, say) rest before the next try. */
    private final Map<Long, Long> restUntil = new ConcurrentHashMap<>();
    /** Members' failure domains and weights, refreshed in the background each round. */
    private final Map<Long, MemberMetadata> metadata = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    /** Set once a describer answered for every member a first time: no choice is made on unknown metadata. */
    private volatile boolean described;
    private volatile MemberDescriber describer = MemberDescriber.NONE;
    /** Describing may block on the network: never on the scheduler or the completion threads. */
    private final ExecutorService describing = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jdqlite-describe");
        t.setDaemon(true);
        return t;
    });

    RoleManager(Node node, RolesPolicy policy) {
        this.node = node;
        this.policy = policy;
    }

    void useDescriber(MemberDescriber d) {
        this.describer = d == null ? MemberDescriber.NONE : d;
        this.described = false;
    }

    /** One round: at most one role change. Runs on the node's scheduler. */
    synchronized void round() {
        if (!policy.enabled() || !inProgress.isDone() || !node.isLeader()) {
            return;
        }
        Map<Long, Long> silence = FollowerSilence.millisByMember(node);
        List<Member> members = node.members();
        refreshMetadata(members);
        if (describer != MemberDescriber.NONE && !described) {
            return; // the first round of DESCRIBE calls is still out
        }
        Optional<RoleDecision.Change> next = decide(members, silence);
        next.ifPresent(c -> {
            LOG.info("roles: node {} {} -> {} ({})", Long.toUnsignedString(c.id()), c.from(), c.to(), c.why());
            inProgress = node.membership().assign(c.id(), c.to()).whenComplete((ok, err) -> {
                if (err != null) {
                    restUntil.put(c.id(), System.nanoTime() + 30_000_000_000L);
                    LOG.info("roles: changing node {} to {} failed: {}", Long.toUnsignedString(c.id()), c.to(), err.toString());
                }
            });
        });
    }

    /** The next change, or none. Spares' health is unknown here: they count as online. */
    Optional<RoleDecision.Change> decide(List<Member> members, Map<Long, Long> silence) {
        long self = node.nodeId();
        long limit = policy.offlineAfter().toMillis();
        long now = System.nanoTime();
        restUntil.values().removeIf(t -> t - now < 0);
        Predicate<Member> online = m -> !restUntil.containsKey(m.id()) && (m.id() == self
                || m.role() == Role.SPARE || silence.getOrDefault(m.id(), Long.MAX_VALUE) < limit);
        return new RoleDecision(self, policy, online, Map.copyOf(metadata)).next(members);
    }

    /** Asks every member for its failure domain and weight, off the scheduler thread (calls may block). */
    private void refreshMetadata(List<Member> members) {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        Runnable refresh = () -> {
            try {
                metadata.keySet().retainAll(members.stream().map(Member::id).toList());
                for (Member m : members) {
                    describer.describe(m).ifPresent(md -> metadata.put(m.id(), md));
                }
            } catch (RuntimeException e) {
                LOG.debug("roles: describing members failed", e);
            } finally {
                described = true; // even after a failure: decide on what is known rather than never
                refreshing.set(false);
            }
        };
        try {
            describing.execute(refresh);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            refreshing.set(false); // shutting down
        }
    }

    void close() {
        describing.shutdownNow();
    }
}
