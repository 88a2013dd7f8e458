package io.jdqlite.node.admin;

/** Body of {@code POST /admin/members}; {@code raftAddress} defaults to the address with port + 1000. */
public record MemberRequest(Long id, String address, String raftAddress, String role) {
}
