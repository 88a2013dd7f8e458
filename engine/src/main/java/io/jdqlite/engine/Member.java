package io.jdqlite.engine;

import java.util.Objects;

/**
 * A cluster member as dqlite describes it: a uint64 id, the address clients use (the dqlite
 * wire protocol port), and a role. {@code raftAddress} is where its Raft (Ratis) server
 * listens; by default it is derived from the client address (see {@link EngineConfig#raftAddressFor}).
 */
public record Member(long id, String address, String raftAddress, Role role) {
    public Member {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(raftAddress, "raftAddress");
        Objects.requireNonNull(role, "role");
    }

    public Member withRole(Role newRole) {
        return new Member(id, address, raftAddress, newRole);
    }
}
