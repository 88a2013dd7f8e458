package io.jdqlite.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The execution loop of one database on the leader (dqlite's leader.c): a single thread owns the
 * SQLite connection, runs statements one at a time (SERIALIZABLE), and after each batch turns the WAL
 * frames the batch committed into Raft entries. Transactions that arrive together are batched into one
 * entry (group commit) and a few entries are kept in flight (pipelining).
 *
 * <p>Nobody sees data of an entry before it is committed: every reply of a batch (rows, results and
 * errors alike) is held until every entry proposed so far has been applied, and, for a batch that
 * proposed nothing, until a ReadIndex round confirmed leadership after the batch ran.
 */
final class Leader {
    private static final Logger LOG = LoggerFactory.getLogger(Leader.class);
    private static final int MAX_BATCH = 512;
    /**
     * Proposals the loop lets be in flight before it waits for the oldest. Fewer means larger batches, so fewer
     * Raft entries and less CPU per write on a busy leader; measured on 2 cores (3 nodes on loopback, 20 s
     * runs, ok/s): 2 against 4 gave kvwrite 16 workers 1,477 and 1,490 against 1,247–1,385, 64 workers 2,991 and
     * 3,015 against 2,190–2,509, and kvreadwrite reads a little higher; 1 was lower at 16 workers.
     */
    private static final int MAX_IN_FLIGHT = 2;
    /** Committed readers opened beside a busy one (a long query must not hold up the other reads). */
    private static final int EXTRA_READERS = 6;

    /** One statement-level operation run on the loop thread. */
    interface Op {
        Object run(Leader leader, EngineSession session) throws SQLException;
    }

    /** A statement prepared by a session: the SQLite statement and its text. */
    record Prepared(PreparedStatement statement, String sql) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            statement.close();
        }
    }

    private record Task(EngineSession session, Op op, CompletableFuture<Object> reply, long enqueuedNanos) {
    }

    /** A proposed transaction: its parts, where its frames end in the WAL, and who waits for it. */
    private record Proposal(long txId, WalScanner.Cursor walEnd, CompletableFuture<Void> applied) {
    }

    private final Database db;
    private final Node node;
    private final LinkedBlockingQueue<Task> inbox = new LinkedBlockingQueue<>();
    private final ArrayDeque<Task> deferred = new ArrayDeque<>();
    private final ConcurrentLinkedDeque<Proposal> inFlight = new ConcurrentLinkedDeque<>();
    private final Map<EngineSession, Map<Integer, Prepared>> statements = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean checkpointDue;
    /** After a checkpoint put off by a long read, when to try again (System.nanoTime). */
    private long checkpointNotBefore = System.nanoTime();
    /** Committed images being written (snapshots): each saves what a checkpoint is about to overwrite. */
    private final List<CheckpointWatcher> checkpointWatchers = new CopyOnWriteArrayList<>();
    /** Writes wait while the loop checkpoints: a checkpoint this long is worth a line in the log. */
    private static final long SLOW_CHECKPOINT_MILLIS = 100;
    /** After a checkpoint put off by running reads (new ones wait meanwhile), when it tries again. */
    private static final long CHECKPOINT_RETRY_MILLIS = 50;
    /** After a read outlasted the drain (a long query), when the checkpoint tries again. */
    private static final long CHECKPOINT_AFTER_LONG_READ_MILLIS = 1000;
    /** Some but not all parts of the oldest in-flight transaction are applied (no snapshot now). */
    private volatile boolean midTransaction;
    /**
     * A batch failed between running its statements and proposing their frames: the WAL may hold commits
     * that were never proposed. Nothing may read them, and stepping down must rebuild the database.
     */
    private volatile boolean walUnproposed;
    /**
     * The loop saw the node handing leadership over ({@link Node#isHandingOver()}) and took no task since: what
     * it proposed before can all be applied before leadership moves.
     */
    private volatile boolean heldForHandover;
    /** The session whose statement the loop runs now: SQLite's progress handler stops it if the client left. */
    private volatile EngineSession running;
    /** Virtual machine steps between two checks of the progress handler: ~a millisecond of work. */
    private static final int PROGRESS_STEPS = 100_000;

    // Owned by the loop thread (and by close(), under db.lock, after the loop stopped using them).
    private Connection conn;
    private FileChannel wal;
    private PreparedStatement lastInsertRowId;
    private WalScanner.Cursor captured = WalScanner.Cursor.START;
    private EngineSession txnOwner;
    /** {@code txnOwner} for other threads: that session must read through the loop (its own writes). */
    private volatile EngineSession txnOwnerView;
    /** Reads of committed state that need not wait for the loop; created with the connection. */
    private volatile CommittedReads reads;
    /** Per-connection pragmas each session set for itself; created with the connection. */
    private volatile SessionPragmas pragmas;
    private long nextTxId = System.nanoTime();
    private CompletableFuture<Void> lastProposal = CompletableFuture.completedFuture(null);

    /** End of the frames a majority committed; guarded by db.lock. */
    private WalScanner.Cursor committed = WalScanner.Cursor.START;

    Leader(Database db, Node node) {
        this.db = db;
        this.node = node;
        this.thread = new Thread(this::loop, "jdqlite-leader-" + db.name());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    CompletableFuture<Object> submit(EngineSession session, Op op) {
        CompletableFuture<Object> reply = new CompletableFuture<>();
        if (closed) {
            reply.completeExceptionally(EngineException.notLeader());
            return reply;
        }
        inbox.add(new Task(session, op, reply, System.nanoTime()));
        if (closed) {
            failQueued(EngineException.notLeader());
        }
        return reply;
    }

    boolean isClosed() {
        return closed;
    }

    /** Held for a handover with every proposal applied, or closed: nothing of this loop is in flight. */
    boolean drainedForHandover() {
        return closed || heldForHandover && inFlight.isEmpty();
    }

    // ---------------------------------------------------------------- loop

    private void loop() {
        try {
            if (!becomeReady()) {
                return;
            }
            while (!closed) {
                if (node.isHandingOver() && txnOwner == null) {
                    // Tasks wait in the inbox: once leadership has moved they are refused with "not leader", which
                    // clients retry on the new leader, rather than run and be cut off mid-commit (outcome unknown).
                    // An open transaction goes on meanwhile (others' tasks wait for it as ever): it may end in time.
                    heldForHandover = true;
                    TimeUnit.MILLISECONDS.sleep(1);
                    continue;
                }
                heldForHandover = false;
                Task first = inbox.poll(deferred.isEmpty() ? 200 : 20, TimeUnit.MILLISECONDS);
                List<Task> arrived = new ArrayList<>();
                if (first != null) {
                    arrived.add(first);
                    inbox.drainTo(arrived, MAX_BATCH);
                }
                // Tasks taken from the inbox are answered by runBatch, or here if the loop stops first
                // (closed meanwhile, or a failed checkpoint): none may be dropped.
                boolean handed = false;
                try {
                    expireDeferred();
                    if (closed) {
                        break;
                    }
                    if (checkpointDue && txnOwner == null && System.nanoTime() - checkpointNotBefore >= 0) {
                        checkpoint();
                    }
                    List<Task> batch = new ArrayList<>();
                    if (txnOwner == null) {
                        batch.addAll(deferred);
                        deferred.clear();
                    }
                    batch.addAll(arrived);
                    handed = true;
                    if (!batch.isEmpty()) {
                        runBatch(batch);
                    }
                } finally {
                    if (!handed) {
                        arrived.forEach(t -> t.reply().completeExceptionally(EngineException.notLeader()));
                    }
                }
                awaitInFlightBelow(MAX_IN_FLIGHT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("leader loop of {} failed", db.name(), e);
            node.stepDownDatabase(db, e);
        } finally {
            failQueued(EngineException.notLeader());
        }
    }

    /** Waits until this leader applied every entry committed before its term, then opens SQLite. */
    private boolean becomeReady() {
        try {
            long timeout = node.config().writeTimeout().toMillis();
            node.leaderReady().get(timeout, TimeUnit.MILLISECONDS);
            node.raft().readBarrier().get(timeout, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.info("{}: not ready to lead: {}", db.name(), e.toString());
            node.stepDownDatabase(db, e);
            return false;
        }
        db.lock().lock();
        try {
            if (closed) {
                return false;
            }
            open();
            return true;
        } catch (SQLException | IOException e) {
            LOG.error("{}: cannot open database", db.name(), e);
            closed = true;
            return false;
        } finally {
            db.lock().unlock();
        }
    }

    private void open() throws SQLException, IOException {
        db.filesChanging(); // opening in WAL mode rewrites the file's header
        Files.createDirectories(db.file().getParent());
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        // sqlite-jdbc otherwise prepares and runs "SELECT last_insert_rowid()" after every INSERT, on a new
        // statement, for getGeneratedKeys(); the loop asks for the rowid itself, once, with a prepared one.
        config.setGetGeneratedKeys(false);
        conn = DriverManager.getConnection("jdbc:sqlite:" + db.file(), config.toProperties());
        try (Statement st = conn.createStatement()) {
            // journal_mode and wal_autocheckpoint answer with a row: read and close it (sqlite-jdbc).
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode=WAL")) {
                rs.next();
            }
            try (ResultSet rs = st.executeQuery("PRAGMA wal_autocheckpoint=0")) {
                rs.next();
            }
            // Durability comes from the Raft log: SQLite itself needs no fsync.
            st.execute("PRAGMA synchronous=OFF");
        }
        lastInsertRowId = conn.prepareStatement("SELECT last_insert_rowid()");
        pragmas = new SessionPragmas(conn);
        // A long statement on the loop holds up every client of the database: it stops once its own left, or
        // once its client interrupted it (a query).
        org.sqlite.ProgressHandler.setHandler(conn, PROGRESS_STEPS, new org.sqlite.ProgressHandler() {
            @Override
            protected int progress() {
                EngineSession s = running;
                return s != null && s.loopStatementStopped() ? 1 : 0;
            }
        });
        wal = FileChannel.open(db.wal(), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        captured = WalScanner.scan(wal, WalScanner.Cursor.START, Long.MAX_VALUE).end();
        committed = captured;
        reads = new CommittedReads(db.file(), MAX_IN_FLIGHT + 2 + EXTRA_READERS, this::whenQuiet);
        reads.pinInitial(); // becomeReady applied everything committed: the file holds exactly that
    }

    private void runBatch(List<Task> batch) throws InterruptedException {
        List<Task> ran = new ArrayList<>(batch.size());
        List<Object> results = new ArrayList<>(batch.size());
        FramesBuilder parts;
        boolean captureDone = false;
        db.lock().lock();
        try {
            if (closed) {
                batch.forEach(t -> t.reply().completeExceptionally(EngineException.notLeader()));
                return;
            }
            for (Task t : batch) {
                if (txnOwner != null && t.session() != txnOwner) {
                    deferred.add(t);
                    continue;
                }
                Object result;
                running = t.session();
                try {
                    pragmas.switchTo(t.session().pragmaSettings());
                    result = t.op().run(this, t.session());
                } catch (SQLException e) {
                    result = Sql.translate(e);
                } catch (EngineException e) {
                    result = e;
                } catch (OutOfMemoryError e) {
                    // One client's huge result must not end the loop (and the leadership) for everyone.
                    LOG.error("{}: a statement ran out of memory; answering SQLITE_NOMEM", db.name(), e);
                    result = new EngineException(ErrorCodes.SQLITE_NOMEM, "out of memory running the statement");
                } finally {
                    running = null;
                }
                ran.add(t);
                results.add(result);
            }
            // One capture per batch: every transaction the batch committed goes into one proposal.
            parts = capture();
            captureDone = true;
            if (closed && parts != null) {
                lastProposal.completeExceptionally(EngineException.leadershipLost()); // abandoned meanwhile
            }
        } catch (IOException | RuntimeException | Error e) {
            // Nothing of this batch was proposed: its writes are not committed and step-down rebuilds
            // the database, so every task that ran is answered with the failure.
            EngineException reason = EngineException.leadershipLost();
            batch.stream().filter(t -> !deferred.contains(t)).forEach(t -> t.reply().completeExceptionally(reason));
            if (e instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("cannot capture the WAL of " + db.name(), e);
        } finally {
            if (!captureDone && !closed) {
                walUnproposed = true; // before anyone else takes the lock (an Error, too, ends up here)
            }
            db.lock().unlock();
        }
        // Replies are wired before anything is proposed, so that no failure below can leave one unanswered.
        CompletableFuture<Void> proposal = lastProposal;
        CompletableFuture<Void> barrier;
        try {
            barrier = parts == null ? CompletableFuture.allOf(proposal, node.raft().readBarrier()) : proposal;
        } catch (RuntimeException e) {
            barrier = CompletableFuture.failedFuture(EngineException.leadershipLost());
        }
        barrier = node.deadlines().bound(barrier);
        for (int i = 0; i < ran.size(); i++) {
            Task t = ran.get(i);
            Object r = results.get(i);
            barrier.whenComplete((ok, err) -> t.session().deliver(() -> {
                if (err != null) {
                    t.reply().completeExceptionally(barrierFailure(err));
                } else if (r instanceof EngineException e) {
                    t.reply().completeExceptionally(e);
                } else {
                    t.reply().complete(r);
                }
            }));
        }
        if (parts != null) {
            proposeParts(proposal, parts);
        }
    }

    /**
     * Parts of one transaction that may be proposed and not yet applied: the next part is read from the WAL
     * only once the part this many before it is applied, so a large transaction never sits in memory whole,
     * neither here nor in Ratis' queue of pending requests.
     */
    static final int MAX_PARTS_IN_FLIGHT = 4;

    /** Proposes the parts in order, {@link #MAX_PARTS_IN_FLIGHT} at most in flight. */
    private void proposeParts(CompletableFuture<Void> proposal, FramesBuilder parts) throws InterruptedException {
        ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();
        long txId = parts.txId();
        for (int i = 0; i < parts.partCount(); i++) {
            if (pending.size() >= MAX_PARTS_IN_FLIGHT) {
                try {
                    pending.pollFirst().get(node.config().writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    return; // that part's failure has stepped down already
                } catch (TimeoutException e) {
                    notCommitted(proposal, txId, e);
                    return;
                }
            }
            if (closed || proposal.isCompletedExceptionally()) {
                return;
            }
            try {
                // encoded at once: the part's own copy of its pages goes before the next one is read
                node.raft().propose(parts.part(i).encode()).whenComplete((ok, err) -> {
                    if (err != null) {
                        notCommitted(proposal, txId, err);
                    }
                });
            } catch (IOException | RuntimeException e) {
                notCommitted(proposal, txId, e);
                return;
            }
        }
    }

    private void notCommitted(CompletableFuture<Void> proposal, long txId, Throwable err) {
        if (proposal.completeExceptionally(EngineException.leadershipLost())) {
            LOG.info("{}: transaction {} not committed: {}", db.name(), txId, err.toString()); // once, not per part
        }
        node.stepDownDatabase(db, err);
    }

    private static EngineException barrierFailure(Throwable err) {
        Throwable cause = err;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException) {
            return new EngineException(ErrorCodes.SQLITE_IOERR,
                    "timed out waiting for a quorum of the cluster to commit; the outcome of the transaction is unknown");
        }
        if (cause instanceof EngineException e) {
            return e;
        }
        return EngineException.leadershipLost();
    }

    /**
     * Turns the frames committed to the WAL since the last capture into the parts of one proposal (read from
     * the WAL as they are proposed) and records it in flight (db.lock held); null when there are none. Frames of
     * a still-open transaction have no commit frame yet and wait for a later capture.
     */
    private FramesBuilder capture() throws IOException {
        WalScanner.Scan scan = WalScanner.scan(wal, captured, Long.MAX_VALUE);
        if (scan.isEmpty()) {
            return null;
        }
        if (scan.restarted()) {
            LOG.warn("{}: WAL restarted outside a jdqlite checkpoint", db.name());
        }
        long txId = nextTxId++;
        FramesBuilder parts = FramesBuilder.of(wal, scan, db.name(), node.nodeId(), txId, node.config().maxEntryBytes());
        captured = scan.end();
        Proposal p = new Proposal(txId, scan.end(), new CompletableFuture<>());
        inFlight.addLast(p);
        lastProposal = p.applied();
        reads.pinAfter(txId); // before the loop runs anything else: exactly this proposal's state
        return parts;
    }

    private void awaitInFlightBelow(int max) throws InterruptedException {
        while (!closed && inFlight.size() >= max) {
            Proposal oldest = inFlight.peekFirst();
            if (oldest == null) {
                return;
            }
            try {
                oldest.applied().get(node.config().writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                return; // the failure reaches its waiters; step-down handles the rest
            }
        }
    }

    private void expireDeferred() {
        long limit = node.config().busyTimeout().toNanos();
        long now = System.nanoTime();
        for (Iterator<Task> it = deferred.iterator(); it.hasNext(); ) {
            Task t = it.next();
            if (now - t.enqueuedNanos() > limit) {
                it.remove();
                t.reply().completeExceptionally(new EngineException(ErrorCodes.SQLITE_BUSY, "database is locked"));
            }
        }
    }

    // ---------------------------------------------------------------- checkpoint

    /** Checkpoints once every committed frame is applied, then tells the followers (dqlite's CHECKPOINT). */
    private void checkpoint() throws InterruptedException {
        awaitInFlightBelow(1);
        if (closed || !inFlight.isEmpty()) {
            return;
        }
        long size;
        db.lock().lock();
        long started = System.nanoTime();
        long frames = committed.frameCount();
        // A TRUNCATE checkpoint needs every read transaction ended.
        if (!reads.suspend()) {
            db.lock().unlock();
            long retry = reads.gaveUpDraining() ? CHECKPOINT_AFTER_LONG_READ_MILLIS : CHECKPOINT_RETRY_MILLIS;
            checkpointNotBefore = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retry);
            LOG.debug("{}: checkpoint put off: a read is still running", db.name());
            return;
        }
        try {
            for (CheckpointWatcher w : checkpointWatchers) {
                try {
                    w.beforeCheckpoint();
                } catch (IOException e) {
                    LOG.warn("{}: cannot save pages for a snapshot being written; it will be dropped", db.name(), e);
                    db.filesChanging();
                }
            }
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                if (rs.next() && rs.getInt(1) != 0) {
                    LOG.warn("{}: checkpoint could not complete (busy)", db.name());
                    return;
                }
            }
            captured = WalScanner.scan(wal, WalScanner.Cursor.START, Long.MAX_VALUE).end();
            committed = captured;
            size = Files.size(db.file());
            checkpointDue = false;
            db.checkpointed();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (ms >= SLOW_CHECKPOINT_MILLIS) {
                LOG.info("{}: checkpoint of {} frames took {} ms", db.name(), frames, ms);
            }
        } catch (SQLException | IOException e) {
            LOG.warn("{}: checkpoint failed", db.name(), e);
            return;
        } finally {
            reads.resume();
            db.lock().unlock();
        }
        Command.Checkpoint cmd = new Command.Checkpoint(db.name(), node.nodeId(), size);
        lastProposal = node.raft().propose(cmd.encode()).exceptionally(e -> null);
    }

    // ---------------------------------------------------------------- apply callbacks (apply thread, db.lock held)

    /**
     * Whether the loop opened SQLite and so may have written to the files (db.lock held). Before that the
     * new leader is still applying entries of earlier terms, which concern it no more than any follower.
     */
    boolean isServing() {
        return conn != null;
    }

    /** True when this entry is the oldest transaction this leader has in flight. */
    boolean isOwnInFlight(Command.Frames f) {
        Proposal head = inFlight.peekFirst();
        return !closed && f.origin() == node.nodeId() && head != null && head.txId() == f.txId();
    }

    /** A part of our own transaction was committed and applied; the last one completes it. */
    void onApplied(Command.Frames f) {
        midTransaction = !f.commit();
        if (!f.commit()) {
            return;
        }
        Proposal p = inFlight.pollFirst();
        committed = p.walEnd();
        reads.committed(p.txId()); // before any reply: a read after an acknowledged write sees it
        if (committed.frameCount() >= node.config().checkpointThresholdPages()) {
            checkpointDue = true;
        }
        p.applied().complete(null);
    }

    /**
     * For {@link CommittedReads}, on a read thread: runs {@code open} if a read transaction opened now sees
     * exactly the committed state (the loop is not writing, and every frame it captured is committed);
     * otherwise, or when the loop holds the lock, answers null at once.
     */
    private Object whenQuiet(java.util.function.Supplier<Object> open) {
        if (!db.lock().tryLock()) {
            return null; // never wait here: the loop may hold the lock while it closes the readers
        }
        try {
            boolean quiet = !closed && !walUnproposed && conn != null && inFlight.isEmpty()
                    && captured.offset() == committed.offset();
            return quiet && nothingBeyondCaptured() ? open.get() : null;
        } finally {
            db.lock().unlock();
        }
    }

    /** Whether the WAL holds no commit after the last capture (db.lock held): a second guard for readers. */
    private boolean nothingBeyondCaptured() {
        try {
            return WalScanner.scan(wal, captured, Long.MAX_VALUE).isEmpty();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code session} may read committed state off the loop (it holds no transaction of its own). */
    boolean mayReadCommitted(EngineSession session) {
        return !closed && reads != null && txnOwnerView != session && !session.pragmaSettings().readsViaLoop();
    }

    /** A read-only statement on the committed state; empty when the loop must run it. */
    java.util.Optional<QueryResult> readCommitted(String sql, List<Object> params, java.util.function.BooleanSupplier abandoned) {
        CommittedReads r = reads;
        return closed || r == null ? java.util.Optional.empty() : r.read(sql, params, node.config().maxResultBytes(), node.resultSpills(db.name()), abandoned);
    }

    boolean midTransaction() {
        return midTransaction;
    }

    /** End of the WAL frames a majority committed, in bytes (db.lock held). */
    long committedWalEnd() {
        return committed.offset();
    }

    /** Something that must see the files just before each checkpoint rewrites them (db.lock held). */
    interface CheckpointWatcher {
        void beforeCheckpoint() throws IOException;
    }

    void watchCheckpoints(CheckpointWatcher w) {
        checkpointWatchers.add(w);
    }

    void unwatchCheckpoints(CheckpointWatcher w) {
        checkpointWatchers.remove(w);
    }

    FileChannel walChannel() {
        return wal;
    }

    boolean hasUncommittedFrames() {
        return !inFlight.isEmpty() || captured.offset() != committed.offset() || txnOwner != null || walUnproposed;
    }

    long walFrames() {
        return captured.frameCount();
    }

    // ---------------------------------------------------------------- shutdown (db.lock held)

    /** For crash tests: stops the loop and fails waiters but leaves SQLite and its files untouched. */
    void abandon() {
        closed = true;
        for (Proposal p; (p = inFlight.pollFirst()) != null; ) {
            p.applied().completeExceptionally(EngineException.leadershipLost());
        }
        failQueued(EngineException.leadershipLost());
    }

    /** Stops the loop, fails everything waiting, closes SQLite. Returns true if uncommitted frames existed. */
    boolean close(EngineException reason) {
        closed = true;
        boolean dirty = hasUncommittedFrames();
        for (Proposal p; (p = inFlight.pollFirst()) != null; ) {
            p.applied().completeExceptionally(reason);
        }
        failQueued(EngineException.notLeader()); // they never ran: safe for their clients to retry elsewhere
        // No interrupt: the loop sees `closed` within a poll, and an interrupt would close the WAL channel.
        if (reads != null) {
            reads.close();
        }
        statements.values().forEach(m -> m.values().forEach(Leader::closeQuietly));
        statements.clear();
        closeQuietly(lastInsertRowId);
        try {
            if (conn != null) {
                conn.close(); // the last connection checkpoints the WAL into the database file
            }
        } catch (SQLException e) {
            LOG.warn("{}: closing SQLite failed", db.name(), e);
            dirty = true;
        }
        try {
            if (wal != null) {
                wal.close();
            }
        } catch (IOException ignored) {
            // nothing to release
        }
        conn = null;
        return dirty;
    }

    /** Fails queued tasks; the deferred ones only from the loop thread, which owns them. */
    private void failQueued(EngineException reason) {
        for (Task t; (t = inbox.poll()) != null; ) {
            t.reply().completeExceptionally(reason);
        }
        if (Thread.currentThread() == thread) {
            for (Task t; (t = deferred.poll()) != null; ) {
                t.reply().completeExceptionally(reason);
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a statement of a connection being discarded
            }
        }
    }

    // ---------------------------------------------------------------- statement operations (loop thread)

    Connection connection() {
        return conn;
    }

    Prepared prepared(EngineSession session, int id) {
        Map<Integer, Prepared> m = statements.get(session);
        Prepared ps = m == null ? null : m.get(id);
        if (ps == null) {
            throw new EngineException(ErrorCodes.SQLITE_NOTFOUND, "no prepared statement with id " + id);
        }
        return ps;
    }

    void register(EngineSession session, int id, Prepared ps) {
        statements.computeIfAbsent(session, s -> new HashMap<>()).put(id, ps);
    }

    void unregister(EngineSession session, int id) {
        Map<Integer, Prepared> m = statements.get(session);
        if (m != null) {
            closeQuietly(m.remove(id));
        }
    }

    /** Releases a closing session: its statements, and its transaction if it holds one. */
    void release(EngineSession session) throws SQLException {
        Map<Integer, Prepared> m = statements.remove(session);
        if (m != null) {
            m.values().forEach(Leader::closeQuietly);
        }
        if (txnOwner == session) {
            try (Statement st = conn.createStatement()) {
                st.execute("ROLLBACK");
            } catch (SQLException e) {
                LOG.debug("{}: rollback on close: {}", db.name(), e.getMessage());
            }
            txnOwner = null;
            txnOwnerView = null;
        }
    }

    long lastInsertRowId() throws SQLException {
        try (ResultSet rs = lastInsertRowId.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    long changes() throws SQLException {
        return ((org.sqlite.SQLiteConnection) conn).getDatabase().changes();
    }

    /**
     * Records what a statement of {@code session} changed: the per-connection settings it set, and whether
     * the session now holds an open transaction (probing costs two statements, so only after statements that
     * can open or close one, or that failed).
     */
    void afterStatement(EngineSession session, String sql, boolean failed) throws SQLException {
        String kw = StatementSplitter.firstKeyword(sql);
        noteSettings(session, sql); // even a failed pragma may have changed the setting when prepared
        boolean control = kw.equals("BEGIN") || kw.equals("COMMIT") || kw.equals("END") || kw.equals("ROLLBACK")
                || kw.equals("SAVEPOINT") || kw.equals("RELEASE");
        if (!control && !(failed && txnOwner != null)) {
            return;
        }
        txnOwner = inTransaction() ? session : null;
        txnOwnerView = txnOwner;
    }

    /**
     * After {@code session} prepared or ran {@code sql}: a per-connection pragma it set is its own. SQLite
     * changes such a setting already when the pragma is prepared.
     */
    void noteSettings(EngineSession session, String sql) throws SQLException {
        String kw = StatementSplitter.firstKeyword(sql);
        if (kw.equals("PRAGMA") || kw.equals("EXPLAIN")) {
            pragmas.afterStatement(session.pragmaSettings(), sql);
        }
    }

    private boolean inTransaction() throws SQLException {
        try (Statement st = conn.createStatement()) {
            try {
                st.execute("BEGIN");
            } catch (SQLException e) {
                return true; // "cannot start a transaction within a transaction"
            }
            st.execute("ROLLBACK");
            return false;
        }
    }
}
