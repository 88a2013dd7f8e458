package io.jdqlite.node.admin;

/** Body of {@code PUT /admin/members/{id}/role}. */
public record RoleRequest(String role) {
}
