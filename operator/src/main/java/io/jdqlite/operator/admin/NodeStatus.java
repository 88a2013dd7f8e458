package io.jdqlite.operator.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.jdqlite.operator.api.MemberRole;

import java.util.List;

/** The answer of GET /admin/status. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeStatus(long nodeId, String address, MemberRole role, boolean member, boolean leader,
                         long leaderId, String leaderAddress, long term, long commitIndex, long appliedIndex,
                         long snapshotIndex, boolean caughtUp, long walPages, long checkpoints,
                         long snapshotsTaken, long snapshotsInstalled, List<Member> members) {
    public NodeStatus {
        members = members == null ? List.of() : List.copyOf(members);
    }

    /** A member of the Raft configuration as the answering node knows it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Member(long id, String address, MemberRole role, long matchIndex, long lag) {
    }
}
