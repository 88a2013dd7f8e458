package io.jdqlite.node;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The node's configuration: properties {@code jdqlite.*}, or environment variables {@code JDQLITE_*}
 * (for example {@code JDQLITE_ADDRESS=10.0.0.5:9001}).
 */
@ConfigMapping(prefix = "jdqlite")
public interface NodeConfig {
    /** uint64 node id; 0 = take the one stored in the data directory or generate one. */
    @WithDefault("0")
    long id();

    /** Data directory (Raft log, snapshots, SQLite files, node identity). */
    @WithDefault("data")
    String dataDir();

    /** Advertised client (dqlite wire protocol) address, host:port. */
    @WithDefault("127.0.0.1:9001")
    String address();

    /** Where the client port binds, host:port; defaults to {@link #address()}. */
    Optional<String> bind();

    /** Advertised Raft address; defaults to the client address with port + 1000. */
    Optional<String> raftAddress();

    /** Where the Raft port binds; defaults to the advertised Raft address. */
    Optional<String> raftBind();

    /** Founding members, {@code id@host:port[/raftHost:raftPort]}, comma separated; same list on every founder. */
    Optional<List<String>> cluster();

    /** Client addresses of an existing cluster to join (used when the data directory is empty and no cluster is given). */
    Optional<List<String>> join();

    @WithDefault("jdqlite")
    String clusterName();

    @WithDefault("1s")
    Duration electionTimeoutMin();

    @WithDefault("2s")
    Duration electionTimeoutMax();

    /** How long a write waits for a quorum before failing. */
    @WithDefault("10s")
    Duration writeTimeout();

    /** How long a statement waits for another session's transaction before SQLITE_BUSY. */
    @WithDefault("5s")
    Duration busyTimeout();

    /** WAL pages after which the leader checkpoints (dqlite's default: 1000). */
    @WithDefault("1000")
    int checkpointThreshold();

    /** Databases this node serves at most (each costs a thread and a few SQLite connections on the leader). */
    @WithDefault("1024")
    int maxDatabases();

    /**
     * Heap bytes one query's result may take on the leader before it is spilled to a file (default: an eighth of
     * the heap, 256 MiB at most).
     */
    java.util.Optional<Long> maxResultBytes();

    /**
     * MiB of disk a DUMP's copy or a spilled query result must leave free in the data directory's file system
     * (the Raft log and the databases need it); one that would eat into it fails with SQLITE_FULL.
     */
    @WithDefault("256")
    long dumpDiskReserve();

    /** Raft entries between snapshots, at least (see SnapshotPolicy: a snapshot also waits for enough log). */
    @WithDefault("8192")
    long snapshotThreshold();

    /** MiB per second at which snapshots are written (0: as fast as the disk goes). */
    @WithDefault("64")
    long snapshotWriteRate();

    /** Largest dqlite wire message accepted from a client, in bytes. */
    @WithDefault("67108864")
    int maxMessageSize();

    /** Client connections served at once; one more is answered with an error naming this setting and closed. */
    @WithDefault("1024")
    int maxConnections();

    /** Failure domain reported by DESCRIBE (changeable with the WEIGHT/DESCRIBE requests). */
    @WithDefault("0")
    long failureDomain();

    /** Weight reported by DESCRIBE. */
    @WithDefault("0")
    long weight();

    /**
     * Quorum-loss recovery: at start, before serving, this node's data (its whole log included) becomes a
     * new one-member cluster of itself (dqlite's reconfigure). Use on the most up-to-date survivor only.
     */
    @WithDefault("false")
    boolean recover();

    /** How long a stopping leader waits for leadership to move to another voter (graceful handover). */
    @WithDefault("5s")
    Duration handoverTimeout();

    /** Automatic role management by the leader ({@code jdqlite.roles.*}). */
    Roles roles();

    interface Roles {
        /** false when something else (the Kubernetes operator) assigns roles. */
        @WithDefault("true")
        boolean auto();

        /** Voters to keep (odd). */
        @WithDefault("3")
        int voters();

        /** Standbys to keep. */
        @WithDefault("3")
        int standbys();

        /** Silence after which a member counts as offline and may be replaced. */
        @WithDefault("10s")
        Duration offlineAfter();
    }
}
