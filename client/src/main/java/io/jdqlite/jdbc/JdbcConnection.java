package io.jdqlite.jdbc;

import io.jdqlite.client.DqliteClient;
import io.jdqlite.client.DqliteConnection;
import io.jdqlite.client.DqliteException;
import io.jdqlite.client.ExecResult;
import io.jdqlite.client.Rows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A JDBC Connection: one dqlite connection to the leader. Autocommit off sends BEGIN before the first
 * statement and COMMIT/ROLLBACK on commit()/rollback(), all on that one connection; a transaction begun in
 * SQL (BEGIN, SAVEPOINT) is tracked too. Outside a transaction a statement refused with not-leader is
 * retried once on the new leader (nothing ran); inside one the transaction is gone with the old leader, and
 * the caller gets a SQLTransactionRollbackException. A write whose outcome is unknown is never retried.
 * Thread-safe: the connection's objects take turns on it (one request at a time, as on the wire).
 */
final class JdbcConnection extends JdbcProxy {
    private final DqliteClient client;
    private final JdbcUrl url;
    private volatile DqliteConnection connection;
    private boolean autoCommit = true;
    /** Whether a transaction is open on the server, begun by the driver or by the application's SQL. */
    private final TransactionTracker transaction = new TransactionTracker();
    /** Per-connection pragmas, set again on every new server connection (a new leader). */
    private final SessionSettings settings;
    private volatile boolean closed;
    private boolean readOnly;
    private int isolation = Connection.TRANSACTION_SERIALIZABLE;
    /**
     * The JDBC statement whose request is on the server connection now (or whose result set streams from it), or
     * null for the driver's own requests: the one whose cancel() may interrupt it.
     */
    private volatile Object running;
    /**
     * Held by cancel() from its check of {@link #running} to the end of its interrupt, and by whoever changes
     * {@link #running}: so a cancel that saw its statement running interrupts that statement's request, never
     * the next statement's, which waits for the interrupt to be over before it starts.
     */
    private final Object cancelLock = new Object();
    /**
     * Why the server rolled back the application's transaction (its connection was lost, leadership moved, a
     * query timed out), or null. Until the application calls rollback(), its statements and commit() fail:
     * going on would run them in a new transaction, as if the lost work had never been.
     */
    private String rolledBack;

    private JdbcConnection(DqliteClient client, JdbcUrl url) {
        super(Connection.class);
        this.client = client;
        this.url = url;
        this.settings = new SessionSettings(url.pragmas());
    }

    static Connection open(DqliteClient client, JdbcUrl url) throws SQLException {
        JdbcConnection c = new JdbcConnection(client, url);
        c.connection = c.openServerConnection();
        return c.proxy();
    }

    /** A connection to the leader, with this connection's per-connection pragmas set on it. */
    private DqliteConnection openServerConnection() throws SQLException {
        DqliteConnection c = client.open(url.database());
        try {
            settings.applyTo(c);
        } catch (DqliteException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    JdbcUrl url() {
        return url;
    }

    @Override
    Object monitor() {
        return this;
    }

    private DqliteConnection live() throws SQLException {
        if (closed) {
            throw new SQLException("connection is closed");
        }
        if (connection == null || connection.isClosed()) {
            if (transaction.isOpen()) {
                transactionLost("the connection to the leader was lost");
                throw new SQLTransactionRollbackException("the connection to the leader was lost: the transaction was rolled back",
                        "40001");
            }
            connection = openServerConnection();
        }
        return connection;
    }

    /** The server rolled back the open transaction: ended, and remembered until rollback() if the application began it. */
    private void transactionLost(String why) {
        transaction.ended();
        if (!autoCommit) {
            rolledBack = why;
        }
    }

    private void refuseAfterRollback(String what) throws SQLException {
        if (rolledBack != null) {
            throw new SQLTransactionRollbackException(what + ": the transaction was rolled back (" + rolledBack
                    + "); call rollback() to begin a new one", "40001");
        }
    }

    private void beginIfNeeded() throws SQLException {
        if (!autoCommit && !transaction.isOpen()) {
            run(c -> c.exec("BEGIN"), null, null); // retried on the new leader if refused: nothing is open yet
            transaction.begun();
        }
    }

    /**
     * Runs a statement of {@code owner} (the JDBC statement, which may cancel it) with exec; {@code timeout} null
     * means the client's request timeout.
     */
    synchronized ExecResult exec(String sql, Object[] params, Duration timeout, Object owner) throws SQLException {
        return statement(sql, c -> c.exec(sql, params), timeout, owner);
    }

    /** Runs a query of {@code owner} whose rows stream in as they are read; the caller closes them. */
    synchronized Rows openQuery(String sql, Object[] params, Duration timeout, Object owner) throws SQLException {
        return statement(sql, c -> c.query(sql, params), timeout, owner);
    }

    /** An application's statement: checked, in its transaction, and followed (transaction state, pragmas). */
    private <T> T statement(String sql, Request<T> request, Duration timeout, Object owner) throws SQLException {
        SqlText text = SqlText.parse(sql);
        checkWritable(text);
        refuseAfterRollback("cannot run the statement");
        beginIfNeeded();
        T result;
        try {
            result = run(request, timeout, owner);
        } catch (SQLException e) {
            followSettingsAfterFailure(text);
            throw e;
        }
        transaction.follow(text);
        if (SessionSettings.setsPragmas(text)) {
            running(null); // reading the pragmas back is the driver's request
            settings.follow(text, connection);
        }
        return result;
    }

    /**
     * Statement.cancel(), from any thread: interrupts the request on the connection if it is {@code statement}'s
     * (it then fails with SQLState 57014), waiting at most the client's interrupt timeout.
     */
    void cancel(Object statement) {
        synchronized (cancelLock) {
            DqliteConnection c = connection;
            if (statement != null && running == statement && c != null) {
                c.interrupt();
            }
        }
    }

    /** A statement that failed after a pragma of it ran ("PRAGMA foreign_keys=ON; INSERT …") still set it. */
    private void followSettingsAfterFailure(SqlText text) {
        DqliteConnection c = connection;
        if (!SessionSettings.setsPragmas(text) || c == null || c.isClosed()) {
            return;
        }
        running(null);
        try {
            settings.follow(text, c);
        } catch (DqliteException ignored) {
            // the statement's own failure is what the application hears about
        }
    }

    /** Runs a query and reads every row (for small results: metadata). */
    synchronized List<Object[]> query(String sql, Object[] params, List<String> columnsOut) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (Rows r = openQuery(sql, params, null, null)) {
            columnsOut.addAll(r.columns());
            int n = r.columns().size();
            while (r.next()) {
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    row[i] = r.get(i);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The request about to start is {@code owner}'s (see {@link #cancelLock}). */
    private void running(Object owner) {
        synchronized (cancelLock) {
            running = owner;
        }
    }

    private interface Request<T> {
        T on(DqliteConnection c) throws DqliteException;
    }

    /** Runs a request of {@code owner} (a JDBC statement, or null for the driver's own). */
    private <T> T run(Request<T> request, Duration timeout, Object owner) throws SQLException {
        boolean retryable = !transaction.isOpen();
        DqliteConnection c = live();
        running(owner);
        try {
            return withTimeout(c, request, timeout);
        } catch (DqliteException e) {
            if (!e.isNotLeader()) {
                throw e;
            }
            c.close();
            if (!retryable) {
                transactionLost("leadership moved to another node");
                throw new SQLTransactionRollbackException("leadership moved to another node: the transaction was rolled back",
                        "40001", e.getErrorCode(), e);
            }
            DqliteConnection next = live();
            running(owner);
            return withTimeout(next, request, timeout);
        } catch (SQLTimeoutException e) {
            DqliteConnection now = connection;
            if (transaction.isOpen() && (now == null || now.isClosed())) {
                // the node did not confirm the stop in time: the connection is gone, and its transaction with it
                transactionLost("a query timeout closed the connection");
            }
            throw e;
        }
    }

    private <T> T withTimeout(DqliteConnection c, Request<T> request, Duration timeout) throws SQLException {
        return QueryTimeout.run(c, request::on, timeout, client.config().interruptTimeout());
    }

    private void checkWritable(SqlText text) throws SQLException {
        if (readOnly && !text.isRead()) {
            throw new SQLNonTransientException("the connection is read-only (setReadOnly(true)): only queries may run");
        }
    }

    @Override
    Object call(Object self, String name, Object[] a) throws SQLException {
        switch (name) {
            case "createStatement":
                if (a.length >= 2 && ((Integer) a[0] != ResultSet.TYPE_FORWARD_ONLY || (Integer) a[1] != ResultSet.CONCUR_READ_ONLY)) {
                    return UNSUPPORTED;
                }
                live();
                return JdbcStatement.create((Connection) self, this, null);
            case "prepareStatement":
                if (a.length == 3 && ((Integer) a[1] != ResultSet.TYPE_FORWARD_ONLY || (Integer) a[2] != ResultSet.CONCUR_READ_ONLY)) {
                    return UNSUPPORTED;
                }
                if (a.length == 4) {
                    return UNSUPPORTED;
                }
                live();
                return JdbcStatement.create((Connection) self, this, (String) a[0]);
            case "nativeSQL":
                return a[0];
            case "setAutoCommit": {
                boolean on = (Boolean) a[0];
                if (on && (transaction.isOpen() || rolledBack != null)) {
                    commit(); // JDBC: switching autocommit on commits the current transaction
                }
                autoCommit = on;
                return null;
            }
            case "getAutoCommit":
                return autoCommit;
            case "commit":
                if (autoCommit) {
                    throw new SQLException("commit() with autocommit on");
                }
                commit();
                return null;
            case "rollback":
                if (a.length == 1) {
                    return UNSUPPORTED; // savepoints
                }
                if (autoCommit) {
                    throw new SQLException("rollback() with autocommit on");
                }
                rollback();
                return null;
            case "close":
                if (!closed) {
                    closed = true;
                    if (connection != null) {
                        connection.close();
                    }
                }
                return null;
            case "abort": {
                closed = true; // from any thread, without waiting for the connection: closing the socket ends its request
                DqliteConnection c = connection;
                if (c != null) {
                    c.close();
                }
                return null;
            }
            case "isClosed":
                return closed;
            case "isValid":
                if ((Integer) a[0] < 0) {
                    throw new SQLException("isValid timeout must be >= 0, not " + a[0]);
                }
                return isValid((Integer) a[0]);
            case "getMetaData":
                return JdbcDatabaseMetaData.of((Connection) self, this);
            case "setReadOnly":
                readOnly = (Boolean) a[0];
                return null;
            case "isReadOnly":
                return readOnly;
            case "getTransactionIsolation":
                return isolation;
            case "setTransactionIsolation":
                isolation = isolationLevel((Integer) a[0]);
                return null;
            case "getCatalog":
            case "getSchema":
            case "getWarnings":
                return null;
            case "setCatalog":
            case "setSchema":
            case "clearWarnings":
                return null;
            case "getHoldability":
                return ResultSet.CLOSE_CURSORS_AT_COMMIT;
            case "setHoldability":
                return (Integer) a[0] == ResultSet.CLOSE_CURSORS_AT_COMMIT ? null : UNSUPPORTED;
            case "getNetworkTimeout":
                return (int) url.config().requestTimeout().toMillis();
            case "getClientInfo":
                return a.length == 0 ? new java.util.Properties() : null;
            case "getTypeMap":
                return new java.util.HashMap<String, Class<?>>();
            default:
                return UNSUPPORTED;
        }
    }

    /** A round trip to the leader, outside the transaction bookkeeping (it must not begin one). */
    private boolean isValid(int timeoutSeconds) {
        if (closed) {
            return false;
        }
        try {
            Duration timeout = timeoutSeconds == 0 ? null : Duration.ofSeconds(timeoutSeconds);
            DqliteConnection c = live();
            running(null);
            try (Rows r = withTimeout(c, x -> x.query("SELECT 1"), timeout)) {
                return r.next();
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * A COMMIT that fails (a deferred constraint, say) leaves the transaction open on the server, so the
     * state changes only once it succeeded; rollback() then ends it.
     */
    private void commit() throws SQLException {
        if (rolledBack != null) {
            String why = rolledBack;
            rolledBack = null; // reported: the application begins anew
            throw new SQLTransactionRollbackException("cannot commit: the transaction was rolled back (" + why + ")", "40001");
        }
        if (transaction.isOpen()) {
            run(c -> c.exec("COMMIT"), null, null); // refused by a former leader: the transaction is gone, and said so
            transaction.ended();
        }
    }

    private void rollback() throws SQLException {
        rolledBack = null;
        if (transaction.isOpen()) {
            transaction.ended();
            if (connection != null && !connection.isClosed()) {
                running(null);
                connection.exec("ROLLBACK");
            }
        }
    }

    /** Every dqlite transaction is SERIALIZABLE; asking for a weaker level gets that stronger one, as JDBC allows. */
    private static int isolationLevel(int level) throws SQLException {
        return switch (level) {
            case Connection.TRANSACTION_READ_UNCOMMITTED, Connection.TRANSACTION_READ_COMMITTED,
                    Connection.TRANSACTION_REPEATABLE_READ, Connection.TRANSACTION_SERIALIZABLE -> level;
            default -> throw new SQLException("not a transaction isolation level: " + level);
        };
    }
}
