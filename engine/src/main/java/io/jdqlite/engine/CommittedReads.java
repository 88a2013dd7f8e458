package io.jdqlite.engine;

import org.slf4j.Logger;
import org.sqlite.ProgressHandler;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Reads that never wait for writes in flight (what dqlite's VFS gives its readers): read-only SQLite
 * connections, each holding a WAL read transaction opened right after the leader loop wrote a proposal's
 * frames and before it ran anything else. Once that proposal is applied (committed), its reader becomes
 * the current one; a read runs on the current reader and so sees every committed transaction up to then
 * and nothing uncommitted. When no reader matches the committed state (none was free when a proposal was
 * captured, or a checkpoint is running) {@link #read} answers empty and the caller takes the leader loop.
 * When every current reader is busy (a long query on one, say), a read opens another one at the same state
 * if the leader says that nothing uncommitted is in the WAL now ({@link QuietState}); otherwise it waits for
 * a reader, or for the next commit's.
 *
 * <p>Threads: {@link #pinInitial}, {@link #pinAfter}, {@link #suspend}, {@link #resume} on the leader loop;
 * {@link #committed} on the apply thread; {@link #read} on any thread.
 */
final class CommittedReads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommittedReads.class);
    private static final int MAX_CACHED_STATEMENTS = 64;
    /** Virtual machine steps between two checks of a read's progress handler: ~a millisecond of work. */
    private static final int PROGRESS_STEPS = 100_000;

    private final Path file;
    private final int maxReaders;
    /** A checkpoint waits for the running reads to end: no new ones start meanwhile. */
    private volatile boolean draining;
    /** Loop thread only: when the current drain began, and whether it was given up. */
    private long drainingSince;
    private boolean gaveUpDraining;
    /** How long new reads go through the loop so that running ones drain before a checkpoint. */
    private static final long DRAIN_PATIENCE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(200);
    /** Reads hold it shared; checkpoints and close take it exclusively (no read snapshot may survive them). */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private final ArrayDeque<Reader> free = new ArrayDeque<>();
    private final Map<Long, Reader> pending = new HashMap<>();
    private final List<Reader> all = new ArrayList<>();
    /** Readers pinned at the committed state: the one pinned for the last commit, and any opened beside it. */
    private final List<Reader> current = new ArrayList<>();
    private final QuietState quiet;
    private boolean closed;

    /** The leader's word on whether a read transaction opened now would see exactly the committed state. */
    interface QuietState {
        /**
         * Runs {@code open} and answers its reader when the WAL holds no frame that is not committed yet and
         * the loop is not writing; null otherwise, without waiting.
         */
        Object whenQuiet(java.util.function.Supplier<Object> open);
    }

    private static final class Reader {
        final Connection conn;
        final ReentrantLock inUse = new ReentrantLock();
        /** Whether the read running now should stop: its client interrupted it or went away. */
        volatile BooleanSupplier abandoned = () -> false;
        volatile boolean stopRequested;
        /** Prepared by SQL text, least recently used dropped first: clients may send any number of texts. */
        final Map<String, PreparedStatement> statements = new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() > MAX_CACHED_STATEMENTS) {
                    closeQuietly(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
        int users;
        boolean retired;
        boolean pinned;
        /** Pinning and unpinning run on every write (loop and apply threads): compiled once, not per write. */
        private PreparedStatement begin;
        private PreparedStatement firstRead;
        private PreparedStatement commit;

        Reader(Connection conn) {
            this.conn = conn;
        }

        /** SQLite asks every {@link #PROGRESS_STEPS} steps of a statement whether to go on. */
        void watchProgress() throws SQLException {
            ProgressHandler.setHandler(conn, PROGRESS_STEPS, new ProgressHandler() {
                @Override
                protected int progress() {
                    return stopRequested || abandoned.getAsBoolean() ? 1 : 0;
                }
            });
        }

        /** Opens a read transaction; its first read fixes the transaction's snapshot of the WAL. */
        void pin() throws SQLException {
            if (begin == null) {
                begin = conn.prepareStatement("BEGIN");
                firstRead = conn.prepareStatement("SELECT count(*) FROM sqlite_master");
                commit = conn.prepareStatement("COMMIT");
            }
            begin.execute();
            try (ResultSet rs = firstRead.executeQuery()) {
                rs.next();
            }
            pinned = true;
        }

        void unpin() {
            try {
                if (commit != null) {
                    commit.execute();
                }
            } catch (SQLException e) {
                LOG.debug("ending a read transaction failed: {}", e.getMessage());
            }
            pinned = false;
        }

        void close() {
            statements.values().forEach(CommittedReads::closeQuietly);
            if (begin != null) {
                closeQuietly(begin);
                closeQuietly(firstRead);
                closeQuietly(commit);
            }
            closeQuietly(conn);
        }
    }

    CommittedReads(Path file, int maxReaders, QuietState quiet) {
        this.file = file;
        this.maxReaders = maxReaders;
        this.quiet = quiet;
    }

    /** The state on disk is all committed (a new leader, or after a checkpoint): it becomes current. */
    synchronized void pinInitial() {
        Reader r = take();
        if (r != null) {
            makeCurrent(r);
        }
    }

    /** The loop just wrote the frames of proposal {@code txId} and nothing after them. */
    synchronized void pinAfter(long txId) {
        Reader r = take();
        if (r != null) {
            pending.put(txId, r);
        }
    }

    /** Proposal {@code txId} is committed and applied: its reader, if it has one, becomes current. */
    synchronized void committed(long txId) {
        Reader r = pending.remove(txId);
        if (r != null) {
            makeCurrent(r);
        } else {
            // The committed state moved past the current readers: none shows it until the next one.
            current.forEach(this::retire);
            current.clear();
        }
    }

    /**
     * Runs a read-only statement on the current committed reader; empty when there is none or the statement
     * fails here, for example because it would write (the caller then runs it on the leader loop, which
     * gives the answer or the error a client expects).
     */
    Optional<QueryResult> read(String sql, List<Object> params, long maxBytes, SpilledRows.Factory spills,
                               BooleanSupplier abandoned) {
        if (draining || !gate.readLock().tryLock()) {
            return Optional.empty(); // a checkpoint is due or under way, or the reads are closing
        }
        try {
            Reader r = acquire(abandoned);
            if (r == null) {
                return Optional.empty();
            }
            r.abandoned = abandoned;
            try {
                PreparedStatement ps = r.statements.get(sql);
                if (ps == null) {
                    ps = r.conn.prepareStatement(sql);
                    r.statements.put(sql, ps);
                }
                ps.clearParameters();
                Sql.bind(ps, params);
                if (!ps.execute()) {
                    return Optional.of(QueryResult.empty());
                }
                try (ResultSet rs = ps.getResultSet()) {
                    return Optional.of(Sql.readRows(ps, rs, maxBytes, spills));
                }
            } catch (SQLException e) {
                if (abandoned.getAsBoolean()) {
                    throw new EngineException(ErrorCodes.SQLITE_INTERRUPT, "interrupted");
                }
                if (r.stopRequested) {
                    // The leader is stepping down: not worth running again on its loop (where nothing could
                    // stop it); the client asks the next leader.
                    throw EngineException.notLeader();
                }
                // A statement that would write (SQLITE_READONLY), or anything this connection cannot run
                // (a TEMP table lives on the leader's connection only): the loop runs it and answers.
                LOG.debug("committed read of '{}' goes to the leader loop: {}", sql, e.getMessage());
                return Optional.empty();
            } finally {
                r.abandoned = () -> false;
                r.inUse.unlock();
                release(r);
            }
        } finally {
            gate.readLock().unlock();
        }
    }

    /**
     * A reader at the committed state, locked for this thread; null when the loop should run the read. A
     * free current reader, else a new one beside them if the leader is quiet, else the first to free up.
     */
    private Reader acquire(BooleanSupplier abandoned) {
        while (true) {
            Reader busy;
            synchronized (this) {
                if (closed || draining) {
                    return null;
                }
                for (Reader c : current) {
                    if (c.inUse.tryLock()) {
                        c.users++;
                        return c;
                    }
                }
                busy = current.isEmpty() ? null : current.get(0);
                if (busy != null) {
                    busy.users++;
                }
            }
            Reader opened = (Reader) quiet.whenQuiet(this::openBeside);
            if (opened != null || busy == null) {
                if (busy != null) {
                    release(busy);
                }
                return opened;
            }
            boolean got;
            try {
                got = busy.inUse.tryLock(2, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                got = false;
            }
            if (got) {
                return busy;
            }
            release(busy);
            if (abandoned.getAsBoolean()) {
                throw new EngineException(ErrorCodes.SQLITE_INTERRUPT, "interrupted");
            }
            if (Thread.currentThread().isInterrupted()) {
                return null;
            }
        }
    }

    /** Under the leader's quiet state: a reader pinned now, beside the current ones, locked for the caller. */
    private synchronized Object openBeside() {
        Reader r = draining ? null : take();
        if (r != null) {
            r.inUse.lock();
            r.users++;
            current.add(r);
        }
        return r;
    }

    /** Gives back a reader counted as used by this thread (its lock, if held, already released). */
    private synchronized void release(Reader r) {
        r.users--;
        if (r.retired && r.users == 0) {
            unpin(r);
        }
    }

    /**
     * Before a checkpoint: ends every read transaction, once no read runs. From the first call on, new
     * reads go to the leader loop, so the running ones drain; until then this answers false, suspending
     * nothing, and the checkpoint is put off (the WAL grows meanwhile) rather than stalling the loop, and
     * every write, behind a long read. A read still running after {@link #DRAIN_PATIENCE_NANOS} is a long
     * one: reads go back to the readers meanwhile ({@link #gaveUpDraining}), rather than all through the loop
     * until it ends.
     */
    boolean suspend() {
        if (!draining) {
            drainingSince = System.nanoTime();
            draining = true;
        }
        if (!gate.writeLock().tryLock()) {
            if (System.nanoTime() - drainingSince > DRAIN_PATIENCE_NANOS) {
                draining = false;
                gaveUpDraining = true;
            }
            return false;
        }
        draining = false;
        synchronized (this) {
            for (Reader r : all) {
                if (r.pinned) {
                    unpinNow(r);
                }
            }
            free.clear();
            for (Reader r : all) {
                r.retired = false;
                free.add(r);
            }
            pending.clear();
            current.clear();
        }
        return true;
    }

    /** Whether the last {@link #suspend} stopped waiting for a long read (then the checkpoint waits longer). */
    boolean gaveUpDraining() {
        boolean gaveUp = gaveUpDraining;
        gaveUpDraining = false;
        return gaveUp;
    }

    /** After a checkpoint: the state on disk is all committed again. */
    void resume() {
        try {
            pinInitial();
        } finally {
            gate.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            all.forEach(r -> r.stopRequested = true); // a long read must not hold up a leader stepping down
        }
        gate.writeLock().lock();
        try {
            synchronized (this) {
                closed = true;
                current.clear();
                pending.clear();
                free.clear();
                for (Reader r : all) {
                    r.close();
                }
                all.clear();
            }
        } finally {
            gate.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- internals (monitor held)

    private void makeCurrent(Reader r) {
        current.forEach(this::retire);
        current.clear();
        current.add(r);
    }

    private void retire(Reader r) {
        if (r.users == 0) {
            unpin(r);
        } else {
            r.retired = true; // its last read gives it back
        }
    }

    private void unpin(Reader r) {
        unpinNow(r);
        r.retired = false;
        if (!closed) {
            free.add(r);
        }
    }

    private static void unpinNow(Reader r) {
        r.unpin();
    }

    /** A free reader with a read transaction opened now, or null. */
    private Reader take() {
        if (closed) {
            return null;
        }
        Reader r = free.poll();
        try {
            if (r == null) {
                if (all.size() >= maxReaders) {
                    return null;
                }
                r = new Reader(open());
                r.watchProgress();
                all.add(r);
            }
            r.pin();
            return r;
        } catch (SQLException e) {
            LOG.warn("{}: cannot open a committed-read snapshot: {}", file.getFileName(), e.getMessage());
            if (r != null) {
                unpinNow(r);
                free.add(r);
            }
            return null;
        }
    }

    private Connection open() throws SQLException {
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.setReadOnly(true);
        return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // a reader being discarded
        }
    }
}
