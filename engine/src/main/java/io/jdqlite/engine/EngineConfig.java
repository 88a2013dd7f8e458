package io.jdqlite.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a node's engine needs. Build with {@link #builder()}.
 *
 * <p>Membership at start: a node whose data directory already holds Raft state restarts with it.
 * Otherwise it bootstraps with {@code initialMembers} (every founding member must be given the same
 * list), or, with an empty {@code initialMembers} and non-empty {@code joinAddresses}, it starts empty
 * and asks the cluster reachable at one of those client addresses to add it.
 */
public final class EngineConfig {
    /** Default distance between a node's client (dqlite) port and its Raft port. */
    public static final int DEFAULT_RAFT_PORT_OFFSET = 1000;

    private final long nodeId;
    private final Path dataDir;
    private final String address;
    private final String raftAddress;
    private final String raftBindAddress;
    private final String clusterName;
    private final List<Member> initialMembers;
    private final List<String> joinAddresses;
    private final Duration electionTimeoutMin;
    private final Duration electionTimeoutMax;
    private final Duration writeTimeout;
    private final Duration busyTimeout;
    private final int checkpointThresholdPages;
    private final long snapshotThresholdEntries;
    private final long snapshotBytesPerSecond;
    private final int maxEntryBytes;
    private final long maxResultBytes;
    private final long dumpDiskReserveBytes;
    private final int maxDatabases;
    private final RolesPolicy roles;

    private EngineConfig(Builder b) {
        this.dataDir = Objects.requireNonNull(b.dataDir, "dataDir");
        this.address = Objects.requireNonNull(b.address, "address");
        this.raftAddress = b.raftAddress != null ? b.raftAddress : raftAddressFor(b.address, DEFAULT_RAFT_PORT_OFFSET);
        this.raftBindAddress = b.raftBindAddress != null ? b.raftBindAddress : this.raftAddress;
        this.nodeId = b.nodeId;
        this.clusterName = b.clusterName;
        this.initialMembers = List.copyOf(b.initialMembers);
        this.joinAddresses = List.copyOf(b.joinAddresses);
        this.electionTimeoutMin = b.electionTimeoutMin;
        this.electionTimeoutMax = b.electionTimeoutMax;
        this.writeTimeout = b.writeTimeout;
        this.busyTimeout = b.busyTimeout;
        this.checkpointThresholdPages = b.checkpointThresholdPages;
        this.snapshotThresholdEntries = b.snapshotThresholdEntries;
        this.snapshotBytesPerSecond = b.snapshotBytesPerSecond;
        this.maxEntryBytes = b.maxEntryBytes;
        this.maxResultBytes = b.maxResultBytes;
        this.dumpDiskReserveBytes = b.dumpDiskReserveBytes;
        this.maxDatabases = b.maxDatabases;
        this.roles = b.roles;
        if (electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
            throw new IllegalArgumentException("electionTimeoutMax must exceed electionTimeoutMin");
        }
        if (maxDatabases < 1) {
            throw new IllegalArgumentException("maxDatabases must be >= 1");
        }
        if (maxEntryBytes < (64 << 10) || maxEntryBytes > (256 << 20)) {
            throw new IllegalArgumentException("maxEntryBytes must be between 64 KiB and 256 MiB, got " + maxEntryBytes);
        }
        if (maxResultBytes < 1) {
            throw new IllegalArgumentException("maxResultBytes must be >= 1");
        }
        if (dumpDiskReserveBytes < 0) {
            throw new IllegalArgumentException("dumpDiskReserveBytes must be >= 0");
        }
        if (checkpointThresholdPages < 1) {
            throw new IllegalArgumentException("checkpointThresholdPages must be >= 1");
        }
        if (snapshotThresholdEntries < 1) {
            throw new IllegalArgumentException("snapshotThresholdEntries must be >= 1");
        }
        if (snapshotBytesPerSecond < 0) {
            throw new IllegalArgumentException("snapshotBytesPerSecond must be >= 0 (0: as fast as the disk goes)");
        }
    }

    /** host:port of the client port plus {@code offset}: the Raft address convention of jdqlite. */
    public static String raftAddressFor(String clientAddress, int offset) {
        int colon = clientAddress.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("address must be host:port: " + clientAddress);
        }
        int port = Integer.parseInt(clientAddress.substring(colon + 1));
        return clientAddress.substring(0, colon) + ":" + (port + offset);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** 0 means: take the id stored in the data directory, or generate and store a new one. */
    public long nodeId() {
        return nodeId;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Advertised client (dqlite wire protocol) address, host:port. */
    public String address() {
        return address;
    }

    /** Advertised Raft address, host:port. */
    public String raftAddress() {
        return raftAddress;
    }

    /** Where the Raft server binds, host:port (defaults to the advertised Raft address). */
    public String raftBindAddress() {
        return raftBindAddress;
    }

    public String clusterName() {
        return clusterName;
    }

    public List<Member> initialMembers() {
        return initialMembers;
    }

    public List<String> joinAddresses() {
        return joinAddresses;
    }

    public Duration electionTimeoutMin() {
        return electionTimeoutMin;
    }

    public Duration electionTimeoutMax() {
        return electionTimeoutMax;
    }

    /** How long a write waits for a quorum before failing. */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** How long a statement waits for another session's transaction before SQLITE_BUSY. */
    public Duration busyTimeout() {
        return busyTimeout;
    }

    public int checkpointThresholdPages() {
        return checkpointThresholdPages;
    }

    public long snapshotThresholdEntries() {
        return snapshotThresholdEntries;
    }

    /**
     * How fast snapshots are written, in bytes per second; 0 for as fast as the disk goes. The Raft log's
     * fsyncs share the disk: a snapshot written flat out holds every commit behind it.
     */
    public long snapshotBytesPerSecond() {
        return snapshotBytesPerSecond;
    }

    /** Upper bound of one Raft entry's payload; larger transactions are split across entries. */
    public int maxEntryBytes() {
        return maxEntryBytes;
    }

    /** Upper bound of one query result held in memory; larger results are spilled to a file of the data directory. */
    public long maxResultBytes() {
        return maxResultBytes;
    }

    /**
     * Disk space a DUMP's copy or a spilled query result must leave free on the data directory's file system,
     * which the Raft log and the databases need: one that could eat into it fails with SQLITE_FULL instead.
     */
    public long dumpDiskReserveBytes() {
        return dumpDiskReserveBytes;
    }

    /** Databases a node serves at most; each costs a leader thread and a few SQLite connections. */
    public int maxDatabases() {
        return maxDatabases;
    }

    /** Automatic role management on the leader (dqlite's roles), or {@link RolesPolicy#MANUAL}. */
    public RolesPolicy roles() {
        return roles;
    }

    public static final class Builder {
        private long nodeId;
        private Path dataDir;
        private String address;
        private String raftAddress;
        private String raftBindAddress;
        private String clusterName = "jdqlite";
        private final List<Member> initialMembers = new ArrayList<>();
        private final List<String> joinAddresses = new ArrayList<>();
        private Duration electionTimeoutMin = Duration.ofMillis(1000);
        private Duration electionTimeoutMax = Duration.ofMillis(2000);
        private Duration writeTimeout = Duration.ofSeconds(10);
        private Duration busyTimeout = Duration.ofSeconds(5);
        private int checkpointThresholdPages = 1000;
        private long snapshotThresholdEntries = 8192;
        private long snapshotBytesPerSecond = 64L << 20;
        private int maxEntryBytes = 4 * 1024 * 1024;
        /** Per query; an eighth of the heap at most, so that a few large results at once still fit. */
        private long maxResultBytes = Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);
        private long dumpDiskReserveBytes = 256L << 20;
        private int maxDatabases = 1024;
        private RolesPolicy roles = RolesPolicy.MANUAL;

        /** Every setting of {@code c}, to change a few. */
        public Builder from(EngineConfig c) {
            nodeId = c.nodeId;
            dataDir = c.dataDir;
            address = c.address;
            raftAddress = c.raftAddress;
            raftBindAddress = c.raftBindAddress;
            clusterName = c.clusterName;
            initialMembers(c.initialMembers);
            joinAddresses(c.joinAddresses);
            electionTimeout(c.electionTimeoutMin, c.electionTimeoutMax);
            writeTimeout = c.writeTimeout;
            busyTimeout = c.busyTimeout;
            checkpointThresholdPages = c.checkpointThresholdPages;
            snapshotThresholdEntries = c.snapshotThresholdEntries;
            snapshotBytesPerSecond = c.snapshotBytesPerSecond;
            maxEntryBytes = c.maxEntryBytes;
            maxResultBytes = c.maxResultBytes;
            dumpDiskReserveBytes = c.dumpDiskReserveBytes;
            maxDatabases = c.maxDatabases;
            roles = c.roles;
            return this;
        }

        public Builder nodeId(long v) { this.nodeId = v; return this; }
        public Builder dataDir(Path v) { this.dataDir = v; return this; }
        public Builder address(String v) { this.address = v; return this; }
        public Builder raftAddress(String v) { this.raftAddress = v; return this; }
        public Builder raftBindAddress(String v) { this.raftBindAddress = v; return this; }
        public Builder clusterName(String v) { this.clusterName = v; return this; }
        public Builder initialMembers(List<Member> v) { initialMembers.clear(); initialMembers.addAll(v); return this; }
        public Builder joinAddresses(List<String> v) { joinAddresses.clear(); joinAddresses.addAll(v); return this; }
        public Builder electionTimeout(Duration min, Duration max) { electionTimeoutMin = min; electionTimeoutMax = max; return this; }
        public Builder writeTimeout(Duration v) { this.writeTimeout = v; return this; }
        public Builder busyTimeout(Duration v) { this.busyTimeout = v; return this; }
        public Builder checkpointThresholdPages(int v) { this.checkpointThresholdPages = v; return this; }
        public Builder snapshotThresholdEntries(long v) { this.snapshotThresholdEntries = v; return this; }
        public Builder snapshotBytesPerSecond(long v) { this.snapshotBytesPerSecond = v; return this; }
        public Builder maxEntryBytes(int v) { this.maxEntryBytes = v; return this; }
        public Builder maxResultBytes(long v) { this.maxResultBytes = v; return this; }
        public Builder dumpDiskReserveBytes(long v) { this.dumpDiskReserveBytes = v; return this; }
        public Builder maxDatabases(int v) { this.maxDatabases = v; return this; }
        public Builder roles(RolesPolicy v) { this.roles = Objects.requireNonNull(v, "roles"); return this; }

        public EngineConfig build() {
            return new EngineConfig(this);
        }
    }
}
