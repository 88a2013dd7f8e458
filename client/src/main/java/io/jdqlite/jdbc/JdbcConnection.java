package io.jdqlite.jdbc;

import io.jdqlite.client.DqliteClient;
import io.jdqlite.client.DqliteConnection;
import io.jdqlite.client.DqliteException;
import io.jdqlite.client.ExecResult;
import io.jdqlite.client.Rows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A JDBC Connection: one dqlite connection to the leader. Autocommit off sends BEGIN before the first
 * statement and COMMIT/ROLLBACK on commit()/rollback(), all on that one connection. Outside a transaction a
 * statement refused with not-leader is retried once on the new leader (nothing ran); inside one, or when a
 * write's outcome is unknown, the error reaches the caller.
 */
final class JdbcConnection extends JdbcProxy {
    private final DqliteClient client;
    private final JdbcUrl url;
    private DqliteConnection connection;
    private boolean autoCommit = true;
    private boolean inTransaction;
    private boolean closed;
    private boolean readOnly;

    private JdbcConnection(DqliteClient client, JdbcUrl url) {
        super(Connection.class);
        this.client = client;
        this.url = url;
    }

    static Connection open(DqliteClient client, JdbcUrl url) throws SQLException {
        JdbcConnection c = new JdbcConnection(client, url);
        c.connection = client.open(url.database());
        return c.proxy();
    }

    JdbcUrl url() {
        return url;
    }

    private DqliteConnection live() throws SQLException {
        if (closed) {
            throw new SQLException("connection is closed");
        }
        if (connection == null || connection.isClosed()) {
            if (inTransaction) {
                inTransaction = false;
                throw new SQLException("the connection to the leader was lost: the transaction was rolled back");
            }
            connection = client.open(url.database());
        }
        return connection;
    }

    private void beginIfNeeded() throws SQLException {
        if (!autoCommit && !inTransaction) {
            live().exec("BEGIN");
            inTransaction = true;
        }
    }

    ExecResult exec(String sql, Object[] params) throws SQLException {
        beginIfNeeded();
        try {
            return live().exec(sql, params);
        } catch (DqliteException e) {
            if (e.isNotLeader() && !inTransaction) {
                connection.close();
                return live().exec(sql, params);
            }
            throw e;
        }
    }

    /** Runs a query and reads every row. */
    List<Object[]> query(String sql, Object[] params, List<String> columnsOut) throws SQLException {
        beginIfNeeded();
        try {
            return read(live(), sql, params, columnsOut);
        } catch (DqliteException e) {
            if (e.isNotLeader() && !inTransaction) {
                connection.close();
                return read(live(), sql, params, columnsOut);
            }
            throw e;
        }
    }

    private static List<Object[]> read(DqliteConnection c, String sql, Object[] params, List<String> columnsOut)
            throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (Rows r = c.query(sql, params)) {
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
                if (on && inTransaction) {
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
                if (inTransaction) {
                    inTransaction = false;
                    live().exec("ROLLBACK");
                }
                return null;
            case "close":
                if (!closed) {
                    closed = true;
                    if (connection != null) {
                        connection.close();
                    }
                }
                return null;
            case "abort":
                closed = true;
                if (connection != null) {
                    connection.close();
                }
                return null;
            case "isClosed":
                return closed;
            case "isValid":
                if (closed) {
                    return false;
                }
                try {
                    query("SELECT 1", new Object[0], new ArrayList<>());
                    return true;
                } catch (SQLException e) {
                    return false;
                }
            case "getMetaData":
                return JdbcDatabaseMetaData.of((Connection) self, this);
            case "setReadOnly":
                readOnly = (Boolean) a[0];
                return null;
            case "isReadOnly":
                return readOnly;
            case "getTransactionIsolation":
                return Connection.TRANSACTION_SERIALIZABLE;
            case "setTransactionIsolation":
                return null; // every dqlite transaction is SERIALIZABLE, the strictest level
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

    private void commit() throws SQLException {
        if (inTransaction) {
            inTransaction = false;
            live().exec("COMMIT");
        }
    }
}
