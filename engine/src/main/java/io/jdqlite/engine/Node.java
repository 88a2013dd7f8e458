package io.jdqlite.engine;

import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A running engine: identity, the database registry, the Raft server and its state machine. It routes
 * applied commands to databases and turns leadership changes into leader loops starting and stopping.
 */
final class Node {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    /**
     * Entries a member may trail the commit index it knows and still count as caught up: under a steady
     * write load a healthy follower is always a few entries behind, and readiness must not flap with it.
     */
    static final long CAUGHT_UP_SLACK = 100;
    /** Temporary files of dumps, in the data directory, from their copy until they are sent. */
    static final String DUMP_PREFIX = "dump";
    static final String DUMP_SUFFIX = ".tmp";

    private final EngineConfig config;
    private final long nodeId;
    private final Path dbDir;
    private final Map<String, Database> databases = new ConcurrentHashMap<>();
    private final ExecutorService completions = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "jdqlite-completions");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong snapshotsTaken = new AtomicLong();
    private final AtomicLong snapshotsInstalled = new AtomicLong();
    private final SnapshotWriter snapshotWriter;
    /** Replaced when the Raft member is started again (a stopped Ratis division closed the old one). */
    private volatile SqliteStateMachine stateMachine;
    private final Membership membership;
    private final RoleManager roles;
    private final StalledFollowerRepair stalledFollowers;
    /**
     * Runs committed reads (SQLite work) off the Raft and completion threads; twice as many threads as
     * cores (at least 4), so that a few long queries leave threads for the short ones. (8 on 2 cores measured
     * no better than 2 in kvreadwrite at 16 workers, within the noise.)
     */
    private final ExecutorService reads = Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), r -> {
        Thread t = new Thread(r, "jdqlite-reads");
        t.setDaemon(true);
        return t;
    });
    /**
     * Copies databases for DUMP: a copy takes as long as the disk needs for the whole database, so it runs
     * neither on the readers' threads (a few dumps would stall every read) nor on the completion threads.
     * Two at a time; more wait their turn.
     */
    private final ExecutorService dumps = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "jdqlite-dump");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jdqlite-maintenance");
        t.setDaemon(true);
        return t;
    });
    /** What the DUMP copies may take of the data directory's disk. */
    private final DiskReserve diskReserve;
    /** Timeouts of the replies that wait for a commit (writeTimeout). */
    private final Deadlines deadlines;
    private volatile CompletableFuture<Void> leaderReady = new CompletableFuture<>();
    private volatile Raft raft;
    private volatile boolean closed;
    /** The Raft member stopped on purpose and is being started again (see {@link #onRaftMemberStopped}). */
    private volatile boolean memberRestarting;
    /** Why starting the Raft member again failed last, or null. */
    private volatile String memberRestartFailure;
    private static final long NOT_STOPPED = Long.MIN_VALUE;
    /** How long a member must stay stopped before {@link #failure} reports it (see there). */
    private static final long MEMBER_FAILURE_GRACE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    /** When {@link #failure} first saw the Raft member stopped, or NOT_STOPPED. */
    private volatile long memberStoppedSince = NOT_STOPPED;

    private Node(EngineConfig config, long nodeId) {
        this.config = config;
        this.nodeId = nodeId;
        this.dbDir = config.dataDir().resolve("db");
        this.snapshotWriter = new SnapshotWriter(databases::values, this::isLeader, snapshotsTaken,
                config.snapshotBytesPerSecond());
        this.stateMachine = new SqliteStateMachine(this);
        this.membership = new Membership(this);
        this.roles = new RoleManager(this, config.roles());
        this.stalledFollowers = new StalledFollowerRepair(this);
        this.deadlines = new Deadlines(config.writeTimeout());
        this.diskReserve = DiskReserve.of(config.dataDir(), config.dumpDiskReserveBytes());
    }

    static Node start(EngineConfig config) throws IOException {
        Files.createDirectories(config.dataDir());
        deleteLeftoverDumps(config.dataDir());
        long id = NodeIdentity.loadOrCreate(config.dataDir(), identityToUse(config));
        Node node = new Node(config, id);
        Files.createDirectories(node.dbDir);
        try {
            node.raft = Raft.start(config, id, gid -> node.stateMachine, node.initialMembers());
        } catch (IOException | RuntimeException e) {
            node.deadlines.close();
            throw e;
        }
        if (config.roles().enabled()) {
            node.scheduler.scheduleWithFixedDelay(node::rolesRound, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
        node.scheduler.scheduleWithFixedDelay(node::stalledFollowerRound, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        return node;
    }

    /**
     * The configured id, except for an empty data directory that joins an existing cluster: that node lost
     * whatever it held under its old id (votes, log), so it joins under a fresh id and the old member is
     * removed (Raft's safety depends on members never forgetting what they acknowledged).
     */
    private static long identityToUse(EngineConfig config) throws IOException {
        boolean fresh = !Files.isRegularFile(config.dataDir().resolve(NodeIdentity.FILE));
        boolean joining = config.initialMembers().isEmpty() && !config.joinAddresses().isEmpty()
                && Recovery.stagedMembers(config.dataDir()).isEmpty();
        if (fresh && joining && config.nodeId() != 0) {
            LOG.warn("data directory {} is empty: joining as a new member under a fresh id instead of node {}"
                    + " (a node never rejoins under an identity whose data it lost)",
                    config.dataDir().toAbsolutePath(), Long.toUnsignedString(config.nodeId()));
            return 0;
        }
        return config.nodeId();
    }

    /**
     * The founding configuration (used only when the Raft storage is new): a recovered node's new
     * configuration, else the configured founders; a joining node starts with none and waits to be added.
     */
    private List<Member> initialMembers() throws IOException {
        List<Member> recovered = Recovery.stagedMembers(config.dataDir());
        return recovered.isEmpty() ? config.initialMembers() : recovered;
    }

    /** Recovery: drops transactions whose commit part is not in the log. */
    void discardPendingParts() throws IOException {
        for (Database db : databases.values()) {
            db.lock().lock();
            try {
                db.discardPendingParts();
            } finally {
                db.lock().unlock();
            }
        }
    }

    long nodeId() {
        return nodeId;
    }

    /**
     * Ratis stopped this node's member: its election timer fired while it was in no configuration it
     * knows (removed, demoted to spare, or heard from a leader before being added). In dqlite such a node
     * simply waits to be added again, so it is started again, keeping its storage.
     */
    void onRaftMemberStopped() {
        if (closed) {
            return;
        }
        LOG.warn("Raft stopped this node's member (it is in no configuration it knows); starting it again to wait until it is added");
        memberRestarting = true;
        try {
            scheduler.schedule(this::restartRaftMember, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void restartRaftMember() {
        if (closed) {
            return;
        }
        try {
            stateMachine = new SqliteStateMachine(this);
            raft.restartGroup();
            memberRestarting = false;
            memberRestartFailure = null;
            LOG.info("Raft member started again; waiting to be added to the configuration");
        } catch (IOException | RuntimeException e) {
            memberRestartFailure = String.valueOf(e.getMessage());
            if (!closed) {
                LOG.error("starting the Raft member again failed; retrying in 5 s", e);
                scheduler.schedule(this::restartRaftMember, 5, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    private void stalledFollowerRound() {
        try {
            stalledFollowers.round();
        } catch (RuntimeException e) {
            LOG.debug("stalled-follower round failed", e);
        }
    }

    private void rolesRound() {
        try {
            roles.round();
        } catch (RuntimeException e) {
            LOG.warn("role management round failed", e);
        }
    }

    EngineConfig config() {
        return config;
    }

    Deadlines deadlines() {
        return deadlines;
    }

    Raft raft() {
        return raft;
    }

    RoleManager roles() {
        return roles;
    }

    Membership membership() {
        return membership;
    }

    ExecutorService reads() {
        return reads;
    }

    ExecutorService completions() {
        return completions;
    }

    // ---------------------------------------------------------------- handover

    /**
     * While a handover is under way (System.nanoTime before this), leader loops take no new task (see
     * {@link Leader}). A deadline rather than a flag: should a transfer never answer, writes resume anyway.
     */
    private volatile long handoverUntil;
    private volatile boolean handingOver;

    boolean isHandingOver() {
        return handingOver && System.nanoTime() - handoverUntil < 0;
    }

    /**
     * Holds every leader loop and waits, at most {@code timeout}, until what they proposed is applied, so that
     * leadership moves with nothing in flight: writes that ran are acknowledged, and the ones still queued are
     * refused with "not leader" once it has moved, which clients retry on the new leader. Without this a
     * transfer cut off the commits in flight, whose clients heard "the outcome is unknown". Call
     * {@link #endHandover()} after, whatever happened.
     *
     * @return whether every loop drained in time (a large transaction may not: the transfer goes ahead anyway)
     */
    boolean beginHandover(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // the drain, then the transfer itself (Ratis gives it the write timeout), and a second of slack
        handoverUntil = deadline + config.writeTimeout().toNanos() + java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
        handingOver = true;
        while (true) {
            boolean drained = databases.values().stream().map(Database::leader)
                    .allMatch(l -> l == null || l.drainedForHandover());
            if (drained) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(1);
        }
    }

    void endHandover() {
        handingOver = false;
    }

    CompletableFuture<Void> leaderReady() {
        return leaderReady;
    }

    // ---------------------------------------------------------------- sessions

    /** {@code replies}: where the session's answers complete, or null for this node's completion threads. */
    Session openSession(String name, java.util.concurrent.Executor replies) {
        DatabaseNames.validate(name);
        if (closed) {
            throw new EngineException(ErrorCodes.SQLITE_MISUSE, "engine is closed");
        }
        if (!databases.containsKey(name) && databases.size() >= config.maxDatabases()) {
            throw new EngineException(ErrorCodes.SQLITE_CANTOPEN, "cannot open database " + name + ": this node serves "
                    + config.maxDatabases() + " databases already (jdqlite.max-databases)");
        }
        return new EngineSession(this, database(name), replies == null ? completions : replies);
    }

    Database database(String name) {
        return databases.computeIfAbsent(name, n -> new Database(n, dbDir));
    }

    /** The leader loop of {@code db}, started on first use; fails with not-leader on a follower. */
    Leader leaderOf(Database db) {
        Leader l = db.leader();
        if (l != null && !l.isClosed()) {
            return l;
        }
        if (closed || raft == null || !isLeader()) {
            throw EngineException.notLeader();
        }
        db.lock().lock();
        try {
            l = db.leader();
            if (l == null || l.isClosed()) {
                l = new Leader(db, this);
                db.leader(l);
            }
            return l;
        } finally {
            db.lock().unlock();
        }
    }

    boolean isLeader() {
        try {
            return raft != null && raft.division().getInfo().isLeader();
        } catch (IllegalStateException e) {
            return false;
        }
    }

    Optional<Member> leader() {
        if (raft == null) {
            return Optional.empty();
        }
        RaftPeerId id;
        try {
            id = raft.division().getInfo().getLeaderId();
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
        if (id == null) {
            return Optional.empty();
        }
        return members().stream().filter(m -> Raft.peerId(m.id()).equals(id)).findFirst();
    }

    List<Member> members() {
        if (raft == null) {
            return List.of();
        }
        RaftConfiguration conf;
        try {
            conf = raft.division().getRaftConf();
        } catch (IllegalStateException e) {
            return List.of();
        }
        List<Member> out = new ArrayList<>();
        for (RaftPeer p : conf.getCurrentPeers(RaftPeerRole.FOLLOWER)) {
            out.add(toMember(p, Role.VOTER));
        }
        for (RaftPeer p : conf.getCurrentPeers(RaftPeerRole.LISTENER)) {
            out.add(toMember(p, Role.STANDBY));
        }
        out.addAll(membership.spares(out));
        return out;
    }

    private static Member toMember(RaftPeer p, Role role) {
        long id = Long.parseUnsignedLong(p.getId().toString());
        String client = p.getClientAddress() == null ? p.getAddress() : p.getClientAddress();
        return new Member(id, client, p.getAddress(), role);
    }

    // ---------------------------------------------------------------- apply (Ratis apply thread)

    void apply(Command cmd, long index) throws IOException {
        Database db = database(cmd.database());
        db.lock().lock();
        try {
            // A leader still waiting to be ready has not touched the files: entries of earlier terms (the
            // previous leader's last ones, whose commit it learns only now) are applied as on any follower.
            Leader leader = db.leader();
            Leader serving = leader != null && leader.isServing() ? leader : null;
            if (cmd instanceof Command.Frames f) {
                db.contentChanged(index);
                if (serving != null && serving.isOwnInFlight(f)) {
                    serving.onApplied(f);
                } else {
                    if (serving != null) {
                        stepDownDatabase(db, EngineException.leadershipLost());
                    }
                    db.applyAsFollower(f);
                }
            } else if (cmd instanceof Command.Checkpoint c) {
                if (serving == null || c.origin() != nodeId) {
                    if (serving != null) {
                        stepDownDatabase(db, EngineException.leadershipLost());
                    }
                    verifyCheckpoint(db, c);
                    db.checkpointed();
                }
            }
            db.applied(index);
        } finally {
            db.lock().unlock();
        }
    }

    /** After a checkpoint every replica's file has the leader's size; a mismatch means divergence. */
    private void verifyCheckpoint(Database db, Command.Checkpoint c) throws IOException {
        long size = Files.exists(db.file()) ? Files.size(db.file()) : 0;
        if (size != c.databaseBytes()) {
            LOG.error("{}: replica diverged at checkpoint (file {} bytes, leader {} bytes); rebuilding it",
                    db.name(), size, c.databaseBytes());
            rebuild(db);
        }
    }

    // ---------------------------------------------------------------- leadership

    void onLeaderChanged(RaftPeerId newLeader) {
        boolean self = raft != null && raft.selfId().equals(newLeader);
        if (self) {
            if (leaderReady.isDone()) {
                leaderReady = new CompletableFuture<>();
            }
            return;
        }
        leaderReady.completeExceptionally(EngineException.notLeader());
        leaderReady = new CompletableFuture<>();
        for (Database db : databases.values()) {
            stepDownDatabase(db, EngineException.leadershipLost());
        }
    }

    void onLeaderReady() {
        leaderReady.complete(null);
    }

    /**
     * The apply thread reached the first entry of a new term: a transaction whose parts came from an earlier
     * term lost its leader before its last part (a leader's parts all have its term), so its parts go, on
     * every member and at the same entry, rather than take the disk until that database is written again.
     */
    void onTermStarted(long term) {
        for (Database db : databases.values()) {
            db.lock().lock();
            try {
                if (db.hasPendingParts()) {
                    db.discardPendingParts();
                    LOG.info("{}: dropped the parts of a transaction whose leader fell before its last part (term {} began)",
                            db.name(), term);
                }
            } catch (IOException e) {
                LOG.warn("{}: cannot delete the parts of a transaction whose leader fell: {}", db.name(), e.toString());
            } finally {
                db.lock().unlock();
            }
        }
    }

    void onConfigurationChanged() {
        membership.onConfigurationChanged();
    }

    /**
     * Stops the leader loop of {@code db} and returns its files to the committed state: a clean close
     * checkpoints committed frames into the file; uncommitted frames force a rebuild from snapshot + log.
     */
    void stepDownDatabase(Database db, Throwable cause) {
        db.lock().lock();
        try {
            Leader l = db.leader();
            if (l == null) {
                return;
            }
            db.leader(null);
            db.filesChanging(); // closing SQLite checkpoints the WAL into the file
            EngineException reason = cause instanceof EngineException e ? e : EngineException.leadershipLost();
            boolean dirty = l.close(reason);
            if (dirty || (Files.exists(db.wal()) && Files.size(db.wal()) > 0)) {
                LOG.info("{}: leadership lost with uncommitted frames; restoring the committed state", db.name());
                rebuild(db);
            }
            Files.deleteIfExists(db.shm());
            Files.deleteIfExists(db.wal());
        } catch (IOException e) {
            throw new IllegalStateException("cannot restore " + db.name() + " after losing leadership", e);
        } finally {
            db.lock().unlock();
        }
    }

    // ---------------------------------------------------------------- snapshots and restore

    /** Writes every database's committed image now; false (skip for now) while a transaction is half applied. */
    boolean takeSnapshot(TermIndex ti, SnapshotStore store) throws IOException {
        return snapshotWriter.takeNow(ti, store);
    }

    /** Ratis asks for a snapshot at {@code ti}: the index of the newest complete one (see SnapshotWriter). */
    long snapshotForRaft(TermIndex ti, SnapshotStore store) throws IOException {
        return snapshotWriter.onRaftRequest(ti, store);
    }

    SnapshotWriter snapshotWriter() {
        return snapshotWriter;
    }

    SnapshotStore snapshotStore() {
        return stateMachine.snapshots();
    }

    /** Replaces every database with its copy in {@code snapshot} (or nothing when null). */
    void restoreAll(SnapshotStore.Snapshot snapshot) throws IOException {
        for (Database db : databases.values()) {
            db.lock().lock();
            try {
                db.filesChanging(); // before any file goes: a snapshot being written from them is void
            } finally {
                db.lock().unlock();
            }
            stepDownDatabase(db, EngineException.leadershipLost());
        }
        if (Files.isDirectory(dbDir)) {
            try (Stream<Path> s = Files.list(dbDir)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Files.createDirectories(dbDir);
        for (Database db : databases.values()) {
            db.resetAfterRestore(snapshot == null ? 0 : snapshot.termIndex().getIndex());
        }
        if (snapshot == null) {
            return;
        }
        for (Path f : snapshot.databaseFiles()) {
            String name = DatabaseNames.fromFileName(f.getFileName().toString());
            Database db = database(name);
            Files.copy(f, db.file(), StandardCopyOption.REPLACE_EXISTING);
            db.resetAfterRestore(snapshot.termIndex().getIndex());
        }
    }

    void snapshotInstalled() {
        snapshotsInstalled.incrementAndGet();
    }

    /** Rebuilds one database from the latest snapshot plus the log entries applied since (db.lock held). */
    private void rebuild(Database db) throws IOException {
        long to = db.appliedIndex();
        RaftLog log = raft.division().getRaftLog();
        // A snapshot published meanwhile (the leader writes them in the background) lets Ratis purge the
        // log up to it: entries after an older snapshot can go while we replay them. Start over from the newer one.
        for (int attempt = 1; ; attempt++) {
            db.deleteFiles();
            SnapshotStore.Snapshot s = stateMachine.snapshots().latest();
            long from = 1;
            if (s != null) {
                Path copy = s.dir().resolve(db.file().getFileName());
                if (Files.exists(copy)) {
                    Files.copy(copy, db.file(), StandardCopyOption.REPLACE_EXISTING);
                }
                from = s.termIndex().getIndex() + 1;
            }
            if (replay(db, log, from, to)) {
                db.contentChanged(to);
                return;
            }
            if (attempt == 3) {
                throw new IOException(db.name() + ": log entries up to " + to + " are gone and no snapshot covers them");
            }
            LOG.info("{}: log purged during a rebuild from the snapshot at {}; starting over", db.name(), from - 1);
        }
    }

    /** Applies the log entries from..to that concern {@code db}; false if one of them is no longer there. */
    private static boolean replay(Database db, RaftLog log, long from, long to) throws IOException {
        TermIndex before = from > 0 ? log.getTermIndex(from - 1) : null;
        long term = before != null ? before.getTerm() : -1;
        for (long i = from; i <= to; i++) {
            LogEntryProto e = log.get(i);
            if (e == null) {
                return false;
            }
            if (!e.hasStateMachineLogEntry()) {
                if (e.getTerm() > term && term >= 0 && db.hasPendingParts()) {
                    db.discardPendingParts(); // as onTermStarted did at this entry
                }
                term = e.getTerm();
                continue;
            }
            term = e.getTerm();
            Command cmd = Command.decode(e.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
            if (cmd instanceof Command.Frames f && f.database().equals(db.name())) {
                db.applyAsFollower(f);
            }
        }
        return true;
    }

    /** Copies the committed content of {@code name} to a temporary file (on the dump threads). */
    CompletableFuture<DatabaseDump> dump(String name) {
        DatabaseNames.validate(name);
        if (!isLeader()) {
            return CompletableFuture.failedFuture(EngineException.notLeader());
        }
        return CompletableFuture.supplyAsync(() -> {
            Path tmp = null;
            try (DiskReserve.Claim claim = diskReserve.claim("a dump of " + name, dumpSizeBound(name))) {
                tmp = Files.createTempFile(config.dataDir(), DUMP_PREFIX, DUMP_SUFFIX);
                committedImage(name, tmp);
                return new DatabaseDump(name, tmp, Files.size(tmp));
            } catch (IOException | RuntimeException e) {
                if (tmp != null) {
                    new DatabaseDump(name, tmp, 0).close();
                }
                if (e instanceof RuntimeException r) {
                    throw r;
                }
                throw new EngineException(ErrorCodes.SQLITE_IOERR, "dump failed: " + e.getMessage(), e);
            }
        }, dumps);
    }

    /** Where a query result of {@code database} too large for the heap goes: a file of the data directory. */
    SpilledRows.Factory resultSpills(String database) {
        return columns -> SpilledRows.create(config.dataDir(), diskReserve, database, columns);
    }

    /** The most a copy of {@code name} can take: its committed pages are in its file and its WAL. */
    private long dumpSizeBound(String name) throws IOException {
        Database db = database(name);
        long bytes = 0;
        for (Path p : new Path[] {db.file(), db.wal()}) {
            try {
                bytes += Files.size(p);
            } catch (java.nio.file.NoSuchFileException e) {
                // no WAL yet (or no file: a database never written), nothing to count
            }
        }
        return bytes;
    }

    /** Dump and spilled-result files a stopped process left behind (their holders are gone). */
    private static void deleteLeftoverDumps(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(DUMP_PREFIX) && n.endsWith(DUMP_SUFFIX)
                        || n.startsWith(SpilledRows.PREFIX) && n.endsWith(SpilledRows.SUFFIX)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Writes the committed content of database {@code name} on this replica as one SQLite file. The copy is
     * made without the database's lock (a leader goes on serving); if the files were rewritten meanwhile
     * (leadership moved), it fails.
     */
    void committedImage(String name, Path target) throws IOException {
        Database db = database(name);
        CommittedImage image;
        db.lock().lock();
        try {
            image = CommittedImage.capture(db, stateMachine.snapshots().workDir());
        } finally {
            db.lock().unlock();
        }
        try (image) {
            image.writeTo(target, 0, () -> false);
            if (!image.stillValid()) {
                throw new IOException(name + " was rewritten while it was copied (leadership moved?); try again");
            }
        }
    }

    // ---------------------------------------------------------------- status

    /**
     * Why this node cannot serve until its process is restarted, or empty: its Raft member stopped on an
     * error (Ratis closes a member whose apply thread or log failed, out of memory say) rather than on purpose,
     * and has stayed stopped for 5 s (seen by two calls that far apart). Such a node still answers on its
     * ports, so without this it would look alive forever.
     */
    Optional<String> failure() {
        if (closed) {
            return Optional.empty();
        }
        if (memberRestarting) {
            String failed = memberRestartFailure;
            return failed == null ? Optional.empty() : Optional.of("cannot start the Raft member again: " + failed);
        }
        org.apache.ratis.util.LifeCycle.State state;
        try {
            state = raft.division().getInfo().getLifeCycleState();
        } catch (RuntimeException e) {
            return Optional.empty(); // no member yet (status() reports a spare): nothing has failed
        }
        boolean stopped = switch (state) {
            case EXCEPTION, CLOSING, CLOSED -> true;
            default -> false;
        };
        long now = System.nanoTime();
        long since = memberStoppedSince;
        if (!stopped) {
            memberStoppedSince = NOT_STOPPED;
            return Optional.empty();
        }
        if (since == NOT_STOPPED) {
            memberStoppedSince = now;
            return Optional.empty();
        }
        // Ratis closes a member that finds itself outside the configuration before it tells the state machine,
        // which then starts it again: only a member stopped for longer than that has failed.
        if (now - since < MEMBER_FAILURE_GRACE_NANOS) {
            return Optional.empty();
        }
        return Optional.of("the Raft member stopped (" + state + "); see the log for why, and restart the node");
    }

    EngineStatus status() {
        RaftServer.Division d;
        try {
            d = raft.division();
        } catch (RuntimeException e) {
            return new EngineStatus(nodeId, config.address(), Role.SPARE, false, false, 0, null, 0, 0, 0, 0,
                    false, 0, 0, snapshotsTaken.get(), snapshotsInstalled.get(), List.of());
        }
        List<Member> members = members();
        Member self = members.stream().filter(m -> m.id() == nodeId).findFirst().orElse(null);
        Optional<Member> leader = leader();
        long commit = d.getRaftLog().getLastCommittedIndex();
        long applied = d.getInfo().getLastAppliedIndex();
        SnapshotStore.Snapshot snap = stateMachine.snapshots().latest();
        long walPages = 0;
        long checkpoints = 0;
        for (Database db : databases.values()) {
            Leader l = db.leader();
            if (l != null) {
                walPages += l.walFrames();
            }
            checkpoints += db.checkpoints();
        }
        List<EngineStatus.MemberStatus> ms = new ArrayList<>();
        long[] match = d.getInfo().isLeader() ? d.getInfo().getFollowerMatchIndices() : null;
        List<RaftPeerId> followerIds = d.getInfo().isLeader() ? followerOrder(d) : List.of();
        for (Member m : members) {
            long mi = -1;
            if (m.id() == nodeId) {
                mi = applied;
            } else if (match != null) {
                int k = followerIds.indexOf(Raft.peerId(m.id()));
                if (k >= 0 && k < match.length) {
                    mi = match[k];
                }
            }
            ms.add(new EngineStatus.MemberStatus(m.id(), m.address(), m.role(), mi, mi < 0 ? -1 : Math.max(0, commit - mi)));
        }
        boolean member = self != null;
        // A follower writing a snapshot applies nothing for its length (seconds on a large database); its
        // log keeps up with the leader all the same, and that is what makes it a sound member meanwhile.
        boolean caughtUp = member && commit >= 0 && (commit - applied <= CAUGHT_UP_SLACK
                || (snapshotWriter.isWritingOnApplyThread() && d.getRaftLog().getFlushIndex() >= commit - CAUGHT_UP_SLACK));
        return new EngineStatus(nodeId, config.address(), self == null ? Role.SPARE : self.role(), member,
                d.getInfo().isLeader(), leader.map(Member::id).orElse(0L), leader.map(Member::address).orElse(null),
                d.getInfo().getCurrentTerm(), commit, applied, snap == null ? 0 : snap.termIndex().getIndex(),
                caughtUp, walPages, checkpoints, snapshotsTaken.get(),
                snapshotsInstalled.get(), ms);
    }

    /** Ratis reports follower indices in the order of the configuration's other peers. */
    private List<RaftPeerId> followerOrder(RaftServer.Division d) {
        List<RaftPeerId> ids = new ArrayList<>();
        RaftConfiguration conf = d.getRaftConf();
        for (RaftPeer p : conf.getCurrentPeers(RaftPeerRole.FOLLOWER)) {
            if (!p.getId().equals(raft.selfId())) {
                ids.add(p.getId());
            }
        }
        for (RaftPeer p : conf.getCurrentPeers(RaftPeerRole.LISTENER)) {
            ids.add(p.getId());
        }
        return ids;
    }

    /**
     * For tests: stops like a killed process would. Leader loops stop without closing SQLite (no
     * checkpoint), files stay as they are, and the Raft server stops.
     */
    void crash() {
        closed = true;
        scheduler.shutdownNow();
        snapshotWriter.close();
        roles.close();
        for (Database db : databases.values()) {
            Leader l = db.leader();
            if (l != null) {
                l.abandon();
            }
        }
        try {
            raft.close();
        } catch (IOException e) {
            LOG.warn("closing Raft server failed", e);
        }
        reads.shutdown();
        dumps.shutdown(); // not interrupted: a copy may read channels the database shares
        deadlines.close();
        completions.shutdown(); // replies already queued still go out (as failures or committed results)
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        snapshotWriter.close();
        roles.close();
        for (Database db : databases.values()) {
            try {
                stepDownDatabase(db, EngineException.notLeader());
            } catch (RuntimeException e) {
                LOG.warn("{}: close failed", db.name(), e);
            }
        }
        try {
            if (raft != null) {
                raft.close();
            }
        } catch (IOException e) {
            LOG.warn("closing Raft server failed", e);
        }
        reads.shutdown();
        dumps.shutdown(); // not interrupted: a copy may read channels the database shares
        deadlines.close();
        completions.shutdown();
    }
}
