package io.jdqlite.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One client's handle on one database, as a dqlite client connection after OPEN. Every call is
 * asynchronous and never blocks the caller's thread: the database's execution loop runs it on the
 * leader, and a write's future completes only after a majority committed its WAL frames.
 *
 * <p>Parameters are {@code Long}, {@code Integer}, {@code Double}, {@code String}, {@code byte[]},
 * {@code Boolean} or {@code null}. Failures complete the future with an {@link EngineException}
 * carrying the SQLite/dqlite code (for example {@link ErrorCodes#SQLITE_IOERR_NOT_LEADER} on a
 * follower).
 *
 * <p>A session that began an explicit transaction (BEGIN) holds the database's write lock until
 * COMMIT/ROLLBACK or {@link #close()}; other sessions' statements wait for it up to the busy timeout
 * and then fail with SQLITE_BUSY.
 */
public interface Session extends AutoCloseable {
    /** The database name given at open. */
    String database();

    CompletableFuture<PreparedInfo> prepare(String sql);

    CompletableFuture<ExecResult> exec(int statementId, List<Object> params);

    CompletableFuture<QueryResult> query(int statementId, List<Object> params);

    CompletableFuture<Void> finalizeStatement(int statementId);

    /** Executes one or more ';'-separated statements; params bind to the first one that has parameters. */
    CompletableFuture<ExecResult> execSql(String sql, List<Object> params);

    /** Runs a single statement and returns its rows (later statements in {@code sql} are ignored). */
    CompletableFuture<QueryResult> querySql(String sql, List<Object> params);

    /**
     * Stops this session's query if one is running on a committed snapshot (its future then fails with
     * SQLITE_INTERRUPT); dqlite's INTERRUPT. A query run by the leader loop finishes.
     */
    void interrupt();

    /** Rolls back an open transaction of this session and releases its statements. Idempotent. */
    @Override
    void close();
}
