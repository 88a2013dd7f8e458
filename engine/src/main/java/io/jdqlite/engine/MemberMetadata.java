package io.jdqlite.engine;

/**
 * What a member reports about itself through dqlite's DESCRIBE: its failure domain and weight. Role
 * management spreads voters and standbys across failure domains and prefers lower weights.
 */
public record MemberMetadata(long failureDomain, long weight) {
    /** What a member that cannot be asked counts as. */
    public static final MemberMetadata UNKNOWN = new MemberMetadata(0, 0);
}
