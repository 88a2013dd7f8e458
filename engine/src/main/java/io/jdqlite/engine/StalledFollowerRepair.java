package io.jdqlite.engine;

import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@link StalledFollowerWatch} on the leader once a second and, when a follower is stalled, moves
 * leadership to another voter that answers: the new leader's appenders start from what each follower
 * says it holds. At most one such move, or warning, a minute.
 */
final class StalledFollowerRepair {
    private static final Logger LOG = LoggerFactory.getLogger(StalledFollowerRepair.class);
    static final long STALL_MILLIS = 15_000;
    static final long COOLDOWN_MILLIS = 60_000;
    /** A stalled follower's replies come seconds apart (the appender backs off); longer silence is a member down. */
    static final long ANSWERING_MILLIS = 30_000;

    private final Node node;
    private final StalledFollowerWatch watch;
    private long lastMoveMillis = Long.MIN_VALUE / 2; // "long ago", without overflow in now - lastMoveMillis

    StalledFollowerRepair(Node node) {
        this.node = node;
        this.watch = new StalledFollowerWatch(STALL_MILLIS, ANSWERING_MILLIS);
    }

    /** One round, on the node's scheduler. */
    void round() {
        if (!node.isLeader()) {
            watch.reset();
            return;
        }
        RaftServer.Division d = node.raft().division();
        Map<Long, Long> commits = new HashMap<>();
        for (CommitInfoProto c : d.getCommitInfos()) {
            commits.put(Long.parseUnsignedLong(c.getServer().getId().toStringUtf8()), c.getCommitIndex());
        }
        Map<Long, Long> silence = FollowerSilence.millisByMember(node);
        Map<Long, StalledFollowerWatch.FollowerView> views = new HashMap<>();
        for (EngineStatus.MemberStatus m : node.status().members()) {
            Long commit = commits.get(m.id());
            Long quiet = silence.get(m.id());
            if (m.id() != node.nodeId() && m.matchIndex() >= 0 && commit != null && quiet != null) {
                views.put(m.id(), new StalledFollowerWatch.FollowerView(m.matchIndex(), commit, quiet));
            }
        }
        long now = System.nanoTime() / 1_000_000; // monotonic: the watch compares times
        List<Long> stalled = watch.observe(now, d.getRaftLog().getLastCommittedIndex(), views);
        if (stalled.isEmpty() || now - lastMoveMillis < COOLDOWN_MILLIS) {
            return;
        }
        Optional<Long> to = node.membership().transferTargetExcept(new HashSet<>(stalled));
        for (long id : stalled) {
            StalledFollowerWatch.FollowerView v = views.get(id);
            LOG.warn("replication to node {} is stalled: it answers, but has committed nothing past {} for {} s while "
                            + "this leader counts it at {}; {}", Long.toUnsignedString(id), v.commitIndex(),
                    STALL_MILLIS / 1000, v.matchIndex(), to.isPresent()
                            ? "moving leadership to node " + Long.toUnsignedString(to.get()) + " so that a new leader resynchronises it"
                            : "no other voter answers to take over");
        }
        lastMoveMillis = now; // a minute before the next move, or the next warning
        if (to.isEmpty()) {
            return;
        }
        watch.reset();
        node.membership().transfer(to.get()).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("moving leadership away from a stalled follower failed: {}", e.toString());
            }
        });
    }
}
