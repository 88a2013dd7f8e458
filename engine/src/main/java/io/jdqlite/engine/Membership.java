package io.jdqlite.engine;

import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.TransferLeadershipRequest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Configuration changes (dqlite's roles): voters are Ratis followers, standbys are Ratis listeners and
 * spares are known members that do not replicate. One change at a time; Ratis itself refuses a change
 * while another is in progress.
 */
final class Membership {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Membership.class);
    private final Node node;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    /** Spares known to this node (they are outside the Raft configuration). */
    private final Map<Long, Member> spares = new ConcurrentHashMap<>();
    private final Object changeLock = new Object();
    private CompletableFuture<Void> lastChange = CompletableFuture.completedFuture(null);

    Membership(Node node) {
        this.node = node;
    }

    List<Member> spares(List<Member> replicating) {
        List<Member> out = new ArrayList<>();
        for (Member s : spares.values()) {
            if (replicating.stream().noneMatch(m -> m.id() == s.id())) {
                out.add(s);
            }
        }
        return out;
    }

    void onConfigurationChanged() {
        // spares that became replicating members are reported from the Raft configuration
        List<Member> current = node.members();
        spares.keySet().removeIf(id -> current.stream().anyMatch(m -> m.id() == id && m.role() != Role.SPARE));
    }

    CompletableFuture<Void> add(Member m) {
        if (!node.isLeader()) {
            return CompletableFuture.failedFuture(EngineException.notLeader());
        }
        if (node.members().stream().anyMatch(x -> x.id() == m.id())) {
            return CompletableFuture.failedFuture(new EngineException(ErrorCodes.SQLITE_ERROR,
                    "a node with id " + Long.toUnsignedString(m.id()) + " already exists"));
        }
        spares.put(m.id(), m.withRole(Role.SPARE));
        return CompletableFuture.completedFuture(null);
    }

    CompletableFuture<Void> assign(long id, Role role) {
        Member m = find(id);
        if (m == null) {
            return CompletableFuture.failedFuture(new EngineException(ErrorCodes.SQLITE_NOTFOUND,
                    "no node with id " + Long.toUnsignedString(id)));
        }
        if (m.role() == role) {
            return CompletableFuture.completedFuture(null);
        }
        List<Member> next = new ArrayList<>();
        for (Member x : node.members()) {
            next.add(x.id() == id ? x.withRole(role) : x);
        }
        CompletableFuture<Void> done;
        if (m.role() == Role.SPARE && role == Role.STANDBY) {
            // Ratis 3.2 never marks a listener added by a configuration change as caught up, so it would stay
            // "initializing" and could not vote once promoted. A new peer therefore enters as a voter (staged
            // until it caught up), then becomes a standby.
            List<Member> staged = new ArrayList<>();
            for (Member x : node.members()) {
                staged.add(x.id() == id ? x.withRole(Role.VOTER) : x);
            }
            done = change(staged).thenComposeAsync(v -> change(next), node.completions());
        } else {
            done = change(next);
        }
        return done.thenRun(() -> {
            if (role == Role.SPARE) {
                spares.put(id, m.withRole(Role.SPARE));
            } else {
                spares.remove(id);
            }
        });
    }

    CompletableFuture<Void> remove(long id) {
        Member m = find(id);
        if (m == null) {
            return CompletableFuture.failedFuture(new EngineException(ErrorCodes.SQLITE_NOTFOUND,
                    "no node with id " + Long.toUnsignedString(id)));
        }
        if (m.role() == Role.SPARE) {
            spares.remove(id);
            return CompletableFuture.completedFuture(null);
        }
        List<Member> next = node.members().stream().filter(x -> x.id() != id).toList();
        return change(next);
    }

    CompletableFuture<Void> transfer(long id) {
        if (!node.isLeader()) {
            return CompletableFuture.failedFuture(EngineException.notLeader());
        }
        long target = id;
        if (target == 0) {
            if (node.members().stream().noneMatch(m -> m.role() == Role.VOTER && m.id() != node.nodeId())) {
                return CompletableFuture.failedFuture(new EngineException(ErrorCodes.SQLITE_ERROR, "no other voter to transfer leadership to"));
            }
            target = transferTarget().orElse(0L);
            if (target == 0) {
                return CompletableFuture.failedFuture(new EngineException(ErrorCodes.SQLITE_ERROR,
                        "no other voter has answered the leader in the last "
                                + node.config().electionTimeoutMin().toMillis() + " ms to transfer leadership to"));
            }
        }
        final long to = target;
        if (find(to) == null || find(to).role() != Role.VOTER) {
            return CompletableFuture.failedFuture(new EngineException(ErrorCodes.SQLITE_ERROR,
                    "node " + Long.toUnsignedString(to) + " is not a voter"));
        }
        return readyToLead().thenCompose(x -> drainThenTransfer(to));
    }

    /**
     * Where leadership would go without a named target: the most caught-up other voter among those that
     * answered the leader within the minimum election timeout (a voter that is up answers every heartbeat).
     * A voter that is down (a whole cluster stopping, a pod restarting) keeps its last match index and could
     * otherwise be picked, and the transfer would then only time out. Empty when this node is not the leader
     * or no other voter answers.
     */
    java.util.Optional<Long> transferTarget() {
        return transferTargetExcept(java.util.Set.of());
    }

    /** {@link #transferTarget()} among the voters not in {@code excluded}. */
    java.util.Optional<Long> transferTargetExcept(java.util.Set<Long> excluded) {
        if (!node.isLeader()) {
            return java.util.Optional.empty();
        }
        java.util.Map<Long, Long> silence = FollowerSilence.millisByMember(node);
        long answering = node.config().electionTimeoutMin().toMillis();
        return node.status().members().stream()
                .filter(m -> m.role() == Role.VOTER && m.id() != node.nodeId() && !excluded.contains(m.id()))
                .filter(m -> silence.getOrDefault(m.id(), Long.MAX_VALUE) <= answering)
                .max(java.util.Comparator.comparingLong(EngineStatus.MemberStatus::matchIndex))
                .map(EngineStatus.MemberStatus::id);
    }

    /** How long a transfer waits for the leader loops' proposals to be applied before it goes ahead anyway. */
    static final java.time.Duration HANDOVER_DRAIN = java.time.Duration.ofSeconds(2);

    /** Holds the leader loops until their proposals are applied, then moves leadership (on a thread of its own). */
    private CompletableFuture<Void> drainThenTransfer(long to) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                if (!node.beginHandover(HANDOVER_DRAIN)) {
                    LOG.info("leadership transfer to {}: proposals still in flight after {} ms, transferring anyway",
                            Long.toUnsignedString(to), HANDOVER_DRAIN.toMillis());
                }
                TransferLeadershipRequest req = new TransferLeadershipRequest(clientId, node.raft().selfId(),
                        node.raft().groupId(), callIds.incrementAndGet(), Raft.peerId(to), node.config().writeTimeout().toMillis());
                node.raft().server().transferLeadershipAsync(req).thenApply(r -> check(r, "leadership transfer"))
                        .whenComplete((v, e) -> {
                            node.endHandover();
                            if (e != null) {
                                done.completeExceptionally(e);
                            } else {
                                done.complete(null);
                            }
                        });
            } catch (IOException | RuntimeException e) {
                node.endHandover();
                done.completeExceptionally(e instanceof IOException
                        ? new EngineException(ErrorCodes.SQLITE_IOERR, e.getMessage(), e) : e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                node.endHandover();
                done.completeExceptionally(e);
            }
        }, "jdqlite-handover");
        t.setDaemon(true);
        t.start();
        return done;
    }

    private Member find(long id) {
        return node.members().stream().filter(m -> m.id() == id).findFirst().orElse(null);
    }

    /** Sets the Raft configuration to {@code next} (voters and standbys; spares are left out). */
    private CompletableFuture<Void> change(List<Member> next) {
        if (!node.isLeader()) {
            return CompletableFuture.failedFuture(EngineException.notLeader());
        }
        List<RaftPeer> voters = next.stream().filter(m -> m.role() == Role.VOTER).map(Raft::peer).toList();
        List<RaftPeer> listeners = next.stream().filter(m -> m.role() == Role.STANDBY).map(Raft::peer).toList();
        if (voters.isEmpty()) {
            return CompletableFuture.failedFuture(new EngineException(ErrorCodes.SQLITE_ERROR, "a cluster needs at least one voter"));
        }
        synchronized (changeLock) {
            // One configuration change at a time, in order.
            // Async: the previous change completes on a Ratis thread that holds the server's lock, and
            // submitting the next one from there would deadlock.
            lastChange = lastChange.handle((ok, err) -> null).thenCompose(x -> readyToLead()).thenComposeAsync(x -> {
                SetConfigurationRequest req = new SetConfigurationRequest(clientId, node.raft().selfId(),
                        node.raft().groupId(), callIds.incrementAndGet(), voters, listeners);
                try {
                    return node.raft().server().setConfigurationAsync(req).thenApply(r -> check(r, "configuration change"));
                } catch (IOException e) {
                    return CompletableFuture.failedFuture(new EngineException(ErrorCodes.SQLITE_IOERR, e.getMessage(), e));
                }
            }, node.completions());
            return lastChange;
        }
    }

    /**
     * Completes once this node, just elected, has committed an entry of its term, or after the write timeout:
     * until then Ratis refuses a configuration change or a leadership transfer ("in LEADER state but not ready
     * yet"), which a client asking for one right after an election would otherwise get. Never fails: Ratis
     * answers the request itself when this node is no longer the leader.
     */
    private CompletableFuture<Void> readyToLead() {
        CompletableFuture<Void> ready = node.leaderReady();
        if (ready.isDone()) {
            return CompletableFuture.completedFuture(null);
        }
        return node.deadlines().bound(ready.thenApply(x -> x)).handle((ok, err) -> null);
    }

    private static Void check(RaftClientReply reply, String what) {
        if (reply.isSuccess()) {
            return null;
        }
        if (reply.getNotLeaderException() != null) {
            throw EngineException.notLeader();
        }
        Exception e = reply.getException();
        throw new EngineException(ErrorCodes.SQLITE_ERROR, what + " failed: " + (e == null ? "unknown" : e.getMessage()), e);
    }
}
