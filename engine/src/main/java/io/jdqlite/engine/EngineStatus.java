package io.jdqlite.engine;

import java.util.List;

/**
 * A point-in-time view of this node for health checks, metrics and the admin API.
 *
 * @param leaderId     0 when no leader is known
 * @param caughtUp     a member of the group whose applied index is within 100 entries of the commit index it knows
 */
public record EngineStatus(
        long nodeId,
        String address,
        Role role,
        boolean member,
        boolean leader,
        long leaderId,
        String leaderAddress,
        long term,
        long commitIndex,
        long appliedIndex,
        long snapshotIndex,
        boolean caughtUp,
        long walPages,
        long checkpoints,
        long snapshotsTaken,
        long snapshotsInstalled,
        List<MemberStatus> members) {

    /** Per-member replication progress; matchIndex and lag are known only on the leader (else -1). */
    public record MemberStatus(long id, String address, Role role, long matchIndex, long lag) {
    }
}
