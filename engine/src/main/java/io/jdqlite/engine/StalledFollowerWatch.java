package io.jdqlite.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * On the leader: spots a follower that Ratis' leader counts as holding entries (its match index) beyond
 * what that follower has committed, while the follower answers and neither its commit index nor the
 * leader's moves (a new entry ends such a stall by itself: Ratis' appender then goes back to where the
 * follower says its log ends; while entries come, a follower behind is catching up, e.g. by a snapshot). Raft
 * never lets a follower's log fall behind its match index, so this is Ratis' log appender and the follower
 * disagreeing (seen after a kill -9 and restart of a member: the appender kept sending heartbeats that the
 * follower answered with INCONSISTENCY, for as long as no write came). Short of a write, only a new leader,
 * with new appenders, resynchronises such a follower. Pure bookkeeping: the node decides what to do with a
 * stalled follower.
 */
final class StalledFollowerWatch {
    /** What the leader knows of one follower. */
    record FollowerView(long matchIndex, long commitIndex, long silenceMillis) {
    }

    private record Since(long commitIndex, long leaderCommit, long sinceMillis) {
    }

    private final long stallMillis;
    private final long answeringMillis;
    private final Map<Long, Since> suspects = new HashMap<>();

    /**
     * @param stallMillis     how long the disagreement must last, the follower's and the leader's commit
     *                        indexes unchanged
     * @param answeringMillis a follower silent for longer is down or cut off, not stalled (the stalled one's
     *                        replies come seconds apart: the appender backs off after each INCONSISTENCY)
     */
    StalledFollowerWatch(long stallMillis, long answeringMillis) {
        this.stallMillis = stallMillis;
        this.answeringMillis = answeringMillis;
    }

    /** One observation of every follower; returns those stalled for at least the stall time. */
    synchronized List<Long> observe(long nowMillis, long leaderCommit, Map<Long, FollowerView> followers) {
        List<Long> stalled = new ArrayList<>();
        suspects.keySet().retainAll(followers.keySet());
        for (Map.Entry<Long, FollowerView> e : followers.entrySet()) {
            FollowerView f = e.getValue();
            boolean suspect = f.silenceMillis() <= answeringMillis
                    && f.matchIndex() > f.commitIndex() && leaderCommit > f.commitIndex();
            if (!suspect) {
                suspects.remove(e.getKey());
                continue;
            }
            Since since = suspects.get(e.getKey());
            if (since == null || since.commitIndex() != f.commitIndex() || since.leaderCommit() != leaderCommit) {
                suspects.put(e.getKey(), new Since(f.commitIndex(), leaderCommit, nowMillis));
            } else if (nowMillis - since.sinceMillis() >= stallMillis
                    && nowMillis - f.silenceMillis() >= since.sinceMillis() + stallMillis / 2) {
                // It still answers (back-off spaces the appender's retries by seconds): a follower that went
                // down has not answered since the clock started, and is not stalled.
                stalled.add(e.getKey());
            }
        }
        return stalled;
    }

    /** Forgets everything (this node stopped leading, or leadership is being moved). */
    synchronized void reset() {
        suspects.clear();
    }
}
