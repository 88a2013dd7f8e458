package io.jdqlite.node.admin;

/** Body of {@code POST /admin/transfer}; id 0 lets the leader pick a voter. */
public record TransferRequest(Long id) {
}
