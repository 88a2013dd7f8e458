package io.jdqlite.client;

/**
 * One connection to the leader with one database open. Not thread-safe: one user at a time (open one
 * per thread; they are cheap), except for {@link #interrupt}, meant to be called from another thread.
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

    /**
     * Stops the statement running on this connection; called from another thread, as the one running it is busy.
     * Its exec, query or reading of rows then fails with a DqliteException "interrupted" (SQLState
     * {@value DqliteException#STATE_CANCELED}, code SQLITE_INTERRUPT), unless it completed first (an exec's
     * result is then returned as usual). The node stops working on it as far as it can (jdqlite stops any query,
     * and the paging of any result; an exec runs to its end first, as in dqlite), and the connection stays usable. When the node does not confirm within
     * {@link ClientConfig#interruptTimeout}, the connection is closed instead (a write's outcome is then unknown).
     *
     * <p>Returns once the statement ended, or the connection closed: after the interrupt timeout at most. False
     * when no statement was running (nothing is sent then).
     */
    boolean interrupt();

    boolean isClosed();

    @Override
    void close();
}
