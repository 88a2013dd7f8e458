package io.jdqlite.operator.admin;

import io.jdqlite.operator.api.MemberRole;

/**
 * Membership operations on one jdqlite cluster, through the nodes' admin HTTP API. Mutations go to the
 * leader; an implementation finds it (following "not leader" answers). Every method throws
 * {@link ClusterAdminException} on failure.
 */
public interface ClusterAdmin {
    /** GET /admin/status of the node whose admin endpoint is {@code podAddress} (host:port). */
    NodeStatus status(String podAddress);

    void addMember(long id, String address, MemberRole role);

    void assignRole(long id, MemberRole role);

    void removeMember(long id);

    /** Moves leadership to {@code toId}; 0 lets the leader pick. */
    void transferLeadership(long toId);
}
