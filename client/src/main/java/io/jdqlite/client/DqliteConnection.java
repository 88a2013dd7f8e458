package io.jdqlite.client;

/**
 * One connection to the leader with one database open. Not thread-safe: one user at a time (open one
 * per thread; they are cheap).
 */
public interface DqliteConnection extends AutoCloseable {
    String database();

    String serverAddress();

    /** Runs SQL (possibly several statements) and reports the last one's result. */
    ExecResult exec(String sql, Object... params) throws DqliteException;

    /** Runs a query; rows stream in pages as they are read. */
    Rows query(String sql, Object... params) throws DqliteException;

    Statement prepare(String sql) throws DqliteException;

    /**
     * How long each following request waits for the node's reply; null restores the client's request
     * timeout. A request that times out breaks the connection (a write's outcome is then unknown).
     */
    void requestTimeout(java.time.Duration timeout) throws DqliteException;

    boolean isClosed();

    @Override
    void close();
}
