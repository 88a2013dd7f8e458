package io.jdqlite.client;

/** A cluster member as the server describes it. */
public record NodeInfo(long id, String address, NodeRole role) {
}
