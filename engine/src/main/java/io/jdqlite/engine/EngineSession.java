package io.jdqlite.engine;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A client's session on one database: statement operations run on the database's leader loop. */
final class EngineSession implements Session {
    private final Node node;
    private final Database db;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EngineSession.class);
    /** Each holds native SQLite memory until finalized: a client must not be able to hold unbounded amounts. */
    static final int MAX_PREPARED = 1024;
    /** Where answers of statements run by the leader loop complete (off the Raft threads). */
    private final java.util.concurrent.Executor replies;
    private final AtomicInteger nextStatementId = new AtomicInteger();
    /** Text of this session's prepared statements, for reads served off the leader loop. */
    private final java.util.Map<Integer, String> preparedSql = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean closed;
    /** The per-connection pragmas this session set: kept here, so that a new leader loop applies them too. */
    private final SessionPragmas.Settings pragmaSettings = new SessionPragmas.Settings();
    /** Set by {@link #interrupt}, cleared when the next query starts. */
    private volatile boolean interruptRequested;
    /** A query of this session runs on the leader loop now (not an exec: INTERRUPT stops queries only). */
    private volatile boolean loopQueryRunning;

    EngineSession(Node node, Database db, java.util.concurrent.Executor replies) {
        this.node = node;
        this.db = db;
        this.replies = replies;
    }

    /**
     * Runs an answer's completion on this session's reply executor (off the Raft and loop threads); once that
     * executor is shut down it runs inline, so no answer is lost.
     */
    void deliver(Runnable completion) {
        try {
            replies.execute(completion);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            completion.run();
        }
    }

    /** Whether the client closed this session (or its connection went away). */
    boolean isClosed() {
        return closed;
    }

    /** Whether the statement this session runs on the leader loop should stop: its client left or interrupted it. */
    boolean loopStatementStopped() {
        return closed || (loopQueryRunning && interruptRequested);
    }

    SessionPragmas.Settings pragmaSettings() {
        return pragmaSettings;
    }

    @Override
    public String database() {
        return db.name();
    }

    @Override
    public CompletableFuture<PreparedInfo> prepare(String sql) {
        return this.<PreparedInfo>run((leader, s) -> {
            if (preparedSql.size() >= MAX_PREPARED) {
                throw new EngineException(ErrorCodes.SQLITE_MISUSE, "too many prepared statements on this connection ("
                        + MAX_PREPARED + "): finalize some first");
            }
            String first = firstStatement(sql);
            StatementPolicy.check(first);
            PreparedStatement ps = leader.connection().prepareStatement(first);
            leader.noteSettings(s, first);
            int id = nextStatementId.incrementAndGet();
            leader.register(s, id, new Leader.Prepared(ps, first));
            preparedSql.put(id, first);
            int tail = sql.substring(0, StatementSplitter.firstStatementEnd(sql)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            return new PreparedInfo(id, ps.getParameterMetaData().getParameterCount(), tail);
        });
    }

    @Override
    public CompletableFuture<ExecResult> exec(int statementId, List<Object> params) {
        return this.<ExecResult>run((leader, s) -> execute(leader, s, leader.prepared(s, statementId), params));
    }

    @Override
    public CompletableFuture<QueryResult> query(int statementId, List<Object> params) {
        return readOrRun(preparedSql.get(statementId), params,
                (leader, s) -> select(leader, s, leader.prepared(s, statementId), params));
    }

    @Override
    public CompletableFuture<Void> finalizeStatement(int statementId) {
        return this.<Void>run((leader, s) -> {
            leader.prepared(s, statementId); // fails for an unknown id
            leader.unregister(s, statementId);
            preparedSql.remove(statementId);
            return null;
        });
    }

    @Override
    public CompletableFuture<ExecResult> execSql(String sql, List<Object> params) {
        return this.<ExecResult>run((leader, s) -> {
            List<String> statements = StatementSplitter.split(sql);
            ExecResult last = new ExecResult(0, 0);
            List<Object> pending = params;
            statements.forEach(StatementPolicy::check); // before any of them runs
            for (String text : statements) {
                try (Leader.Prepared p = new Leader.Prepared(leader.connection().prepareStatement(text), text)) {
                    int wanted = p.statement().getParameterMetaData().getParameterCount();
                    List<Object> mine = pending.subList(0, Math.min(wanted, pending.size()));
                    pending = pending.subList(mine.size(), pending.size());
                    last = execute(leader, s, p, mine);
                }
            }
            if (!pending.isEmpty()) {
                throw new EngineException(ErrorCodes.SQLITE_RANGE, "too many parameters: " + pending.size() + " left unbound");
            }
            return last;
        });
    }

    @Override
    public CompletableFuture<QueryResult> querySql(String sql, List<Object> params) {
        List<String> parts = StatementSplitter.split(sql);
        return readOrRun(parts.isEmpty() ? null : parts.get(0), params, (leader, s) -> {
            String first = firstStatement(sql);
            StatementPolicy.check(first);
            try (Leader.Prepared p = new Leader.Prepared(leader.connection().prepareStatement(first), first)) {
                return select(leader, s, p, params);
            }
        });
    }

    @Override
    public void interrupt() {
        interruptRequested = true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Leader l = db.leader();
        if (l != null && !l.isClosed()) {
            l.submit(this, (leader, s) -> {
                leader.release(s);
                return null;
            });
        }
    }

    private static String firstStatement(String sql) {
        List<String> all = StatementSplitter.split(sql);
        if (all.isEmpty()) {
            throw new EngineException(ErrorCodes.SQLITE_MISUSE, "empty statement");
        }
        return all.get(0);
    }

    private ExecResult execute(Leader leader, EngineSession s, Leader.Prepared p, List<Object> params) throws SQLException {
        PreparedStatement ps = p.statement();
        try {
            ps.clearParameters();
            Sql.bind(ps, params);
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    while (rs.next()) {
                        // an EXEC of a query steps through its rows and returns none (as dqlite)
                    }
                }
            }
        } catch (SQLException | EngineException e) {
            leader.afterStatement(s, p.sql(), true);
            throw e;
        }
        leader.afterStatement(s, p.sql(), false);
        return new ExecResult(leader.lastInsertRowId(), leader.changes());
    }

    private QueryResult select(Leader leader, EngineSession s, Leader.Prepared p, List<Object> params) throws SQLException {
        PreparedStatement ps = p.statement();
        QueryResult result;
        try {
            ps.clearParameters();
            Sql.bind(ps, params);
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    result = Sql.readRows(ps, rs, node.config().maxResultBytes(), node.resultSpills(db.name()));
                }
            } else {
                result = QueryResult.empty();
            }
        } catch (SQLException | EngineException e) {
            leader.afterStatement(s, p.sql(), true);
            throw e;
        }
        leader.afterStatement(s, p.sql(), false);
        return result;
    }

    /**
     * A plain read of a session without a transaction of its own runs on the committed state once leadership
     * is confirmed (ReadIndex / lease), without waiting for writes in flight; anything else, or when no
     * committed reader is available, runs on the leader loop ({@code viaLoop}).
     */
    private CompletableFuture<QueryResult> readOrRun(String sql, List<Object> params, Leader.Op query) {
        interruptRequested = false;
        Leader.Op viaLoop = (leader, s) -> {
            loopQueryRunning = true;
            try {
                return query.run(leader, s);
            } finally {
                loopQueryRunning = false;
            }
        };
        Leader l = db.leader();
        if (closed || sql == null || l == null || !l.mayReadCommitted(this) || !isPlainRead(sql)) {
            return run(viaLoop);
        }
        CompletableFuture<QueryResult> out = new CompletableFuture<>();
        CompletableFuture<Void> barrier;
        try {
            barrier = node.raft().readBarrier();
        } catch (RuntimeException e) {
            return run(viaLoop);
        }
        barrier.whenCompleteAsync((ok, err) -> {
            java.util.Optional<QueryResult> r = java.util.Optional.empty();
            if (err == null && !l.isClosed()) {
                try {
                    r = l.readCommitted(sql, params, () -> closed || interruptRequested);
                } catch (RuntimeException e) {
                    answer(out, null, e);
                    return;
                } catch (OutOfMemoryError e) {
                    LOG.error("a read ran out of memory; answering SQLITE_NOMEM", e);
                    answer(out, null, new EngineException(ErrorCodes.SQLITE_NOMEM, "out of memory running the query"));
                    return;
                }
            }
            if (r.isPresent()) {
                answer(out, r.get(), null);
            } else {
                this.<QueryResult>run(viaLoop).whenComplete((v, e) -> answer(out, v,
                        e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e));
            }
        }, node.reads()).exceptionally(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof java.util.concurrent.RejectedExecutionException) {
                answer(out, null, EngineException.notLeader()); // the read executor refused: stopping
            } else if (cause instanceof EngineException refused) {
                // leadership moved before the read could fall back to the loop: "not leader", which clients
                // retry on the new leader, not an internal error
                answer(out, null, refused);
            } else {
                LOG.error("a read failed unexpectedly", cause);
                answer(out, null, new EngineException(ErrorCodes.SQLITE_INTERNAL, "the read failed: " + cause));
            }
            return null;
        });
        return out;
    }

    /** Completes {@code out} on this session's reply executor, as every answer of the loop is. */
    private <T> void answer(CompletableFuture<T> out, T value, Throwable error) {
        deliver(() -> {
            if (error != null) {
                out.completeExceptionally(error);
            } else {
                out.complete(value);
            }
        });
    }

    private static boolean isPlainRead(String sql) {
        String kw = StatementSplitter.firstKeyword(sql);
        return kw.equals("SELECT") || kw.equals("WITH") || kw.equals("VALUES");
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> run(Leader.Op op) {
        if (closed) {
            return CompletableFuture.failedFuture(new EngineException(ErrorCodes.SQLITE_MISUSE, "session is closed"));
        }
        try {
            return (CompletableFuture<T>) (CompletableFuture<?>) node.leaderOf(db).submit(this, op);
        } catch (EngineException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
