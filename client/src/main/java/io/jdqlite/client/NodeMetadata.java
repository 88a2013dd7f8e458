package io.jdqlite.client;

/** What a node says of itself (DESCRIBE): its failure domain and its weight in role choices. */
public record NodeMetadata(long failureDomain, long weight) {
}
