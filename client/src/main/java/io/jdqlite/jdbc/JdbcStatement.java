package io.jdqlite.jdbc;

import io.jdqlite.client.ExecResult;
import io.jdqlite.client.Rows;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Statement, or a PreparedStatement when created with SQL. executeQuery runs a query and executeUpdate an
 * exec, whatever the SQL; execute() picks by the statement (SELECT, VALUES, EXPLAIN, a reading PRAGMA, a
 * WITH ... SELECT or anything with RETURNING returns rows). Dates are bound as ISO-8601 text.
 */
final class JdbcStatement extends JdbcProxy {
    private final Connection connectionProxy;
    private final JdbcConnection connection;
    private final String sql;
    private Object[] params;
    private final List<Object> batch = new ArrayList<>();
    private Statement self;
    private ResultSet resultSet;
    private long updateCount = -1;
    private final List<Object[]> generatedKeys = new ArrayList<>();
    private boolean closed;
    private boolean closeOnCompletion;
    private long maxRows;
    private int queryTimeout;

    /** Statement methods taking SQL text, which a PreparedStatement must refuse. */
    private static final java.util.Set<String> SQL_TAKING = java.util.Set.of("executeQuery", "executeUpdate",
            "executeLargeUpdate", "execute", "addBatch");

    private JdbcStatement(Connection connectionProxy, JdbcConnection connection, String sql) {
        super(sql == null ? Statement.class : PreparedStatement.class);
        this.connectionProxy = connectionProxy;
        this.connection = connection;
        this.sql = sql;
        this.params = new Object[sql == null ? 0 : SqlText.parse(sql).parameterCount()];
    }

    static Object create(Connection proxy, JdbcConnection connection, String sql) {
        JdbcStatement s = new JdbcStatement(proxy, connection, sql);
        s.self = s.proxy();
        return s.self;
    }

    @Override
    Object monitor() {
        return connection;
    }

    private void open() throws SQLException {
        if (closed) {
            throw new SQLException("statement is closed");
        }
    }

    private Duration timeout() {
        return queryTimeout > 0 ? Duration.ofSeconds(queryTimeout) : null;
    }

    /** JDBC: running a statement closes its previous result set. */
    private void reset() throws SQLException {
        open();
        if (resultSet != null) {
            ResultSet previous = resultSet;
            resultSet = null;
            previous.close();
        }
        updateCount = -1;
        generatedKeys.clear();
    }

    private boolean execute(String text, Object[] args) throws SQLException {
        if (SqlText.parse(text).returnsRows()) {
            if (query(text, args).getMetaData().getColumnCount() > 0) {
                return true;
            }
            // No result columns after all (PRAGMA shrink_memory, PRAGMA incremental_vacuum): no result set, as sqlite-jdbc says.
            reset();
            updateCount = 0;
            return false;
        }
        update(text, args);
        return false;
    }

    private ResultSet query(String text, Object[] args) throws SQLException {
        reset();
        Rows rows = connection.openQuery(text, args, timeout(), self);
        ResultSet[] created = new ResultSet[1];
        created[0] = JdbcResultSet.streaming(self, connection, rows, maxRows, () -> resultSetClosed(created[0]));
        resultSet = created[0];
        return created[0];
    }

    /** closeOnCompletion: the statement closes with its result set, unless a new execution replaced it. */
    private void resultSetClosed(ResultSet rs) {
        if (closeOnCompletion && !closed && rs == resultSet) {
            closed = true;
            resultSet = null;
        }
    }

    private long update(String text, Object[] args) throws SQLException {
        reset();
        ExecResult r = connection.exec(text, args, timeout(), self);
        updateCount = r.rowsAffected();
        if (r.rowsAffected() > 0 && SqlText.parse(text).inserts()) {
            generatedKeys.add(new Object[] {r.lastInsertId()});
        }
        return updateCount;
    }

    /** Runs the batch in order, stopping at the first failure as sqlite-jdbc does. */
    private long[] executeBatch() throws SQLException {
        open();
        List<Object> work = new ArrayList<>(batch);
        batch.clear();
        long[] counts = new long[work.size()];
        List<Object[]> keys = new ArrayList<>();
        for (int i = 0; i < work.size(); i++) {
            Object w = work.get(i);
            try {
                counts[i] = w instanceof String s ? update(s, new Object[0]) : update(sql, (Object[]) w);
                keys.addAll(generatedKeys);
            } catch (SQLException e) {
                long[] done = Arrays.copyOf(counts, i);
                throw new BatchUpdateException("batch entry " + (i + 1) + " of " + work.size() + " failed: " + e.getMessage(),
                        e.getSQLState(), e.getErrorCode(), done, e);
            }
        }
        generatedKeys.clear();
        generatedKeys.addAll(keys);
        updateCount = -1;
        return counts;
    }

    private Object[] boundParameters() throws SQLException {
        for (int i = 0; i < params.length; i++) {
            if (params[i] == null) {
                throw new SQLException("parameter " + (i + 1) + " is not set");
            }
        }
        return Arrays.stream(params).map(p -> p == NULL ? null : p).toArray();
    }

    private static final Object NULL = new Object();

    private void set(Object[] a, Object value) throws SQLException {
        int i = (Integer) a[0];
        if (i < 1 || i > params.length) {
            throw new SQLException("parameter index " + i + " out of range 1.." + params.length);
        }
        params[i - 1] = value == null ? NULL : value;
    }

    @Override
    Object call(Object self, String name, Object[] a) throws SQLException {
        boolean prepared = sql != null;
        if (prepared && a.length >= 1 && a[0] instanceof String && SQL_TAKING.contains(name)) {
            throw new SQLException(name + "(String) cannot be called on a PreparedStatement (JDBC): it runs its own SQL");
        }
        switch (name) {
            case "executeQuery":
                return prepared && a.length == 0 ? query(sql, boundParameters()) : a.length == 1 ? query((String) a[0], new Object[0]) : UNSUPPORTED;
            case "executeUpdate":
            case "executeLargeUpdate": {
                if (!(prepared && a.length == 0) && a.length != 1 && !autoGeneratedKeysArgument(a)) {
                    return UNSUPPORTED;
                }
                long n = prepared && a.length == 0 ? update(sql, boundParameters()) : update((String) a[0], new Object[0]);
                return name.equals("executeUpdate") ? (Object) (int) n : (Object) n;
            }
            case "execute":
                if (!(prepared && a.length == 0) && a.length != 1 && !autoGeneratedKeysArgument(a)) {
                    return UNSUPPORTED;
                }
                return prepared && a.length == 0 ? execute(sql, boundParameters()) : execute((String) a[0], new Object[0]);
            case "getResultSet":
                return resultSet;
            case "getUpdateCount":
                return (int) updateCount;
            case "getLargeUpdateCount":
                return updateCount;
            case "getMoreResults":
                if (a.length == 0 || (Integer) a[0] == Statement.CLOSE_CURRENT_RESULT) {
                    reset();
                } else {
                    resultSet = null; // KEEP_CURRENT_RESULT, CLOSE_ALL_RESULTS: this statement has no other
                    updateCount = -1;
                }
                return false;
            case "getGeneratedKeys":
                // sqlite-jdbc's column name; the rowid of each row an INSERT of this statement added.
                return JdbcResultSet.of((Statement) self, List.of("last_insert_rowid()"), List.copyOf(generatedKeys));
            case "addBatch":
                open();
                if (prepared && a.length == 0) {
                    batch.add(boundParameters());
                } else if (!prepared && a.length == 1) {
                    batch.add(a[0]);
                } else {
                    return UNSUPPORTED;
                }
                return null;
            case "clearBatch":
                batch.clear();
                return null;
            case "executeBatch":
            case "executeLargeBatch": {
                long[] counts = executeBatch();
                return name.equals("executeBatch") ? Arrays.stream(counts).mapToInt(c -> (int) c).toArray() : counts;
            }
            case "clearParameters":
                Arrays.fill(params, null);
                return null;
            case "close":
                if (!closed) {
                    reset();
                    closed = true;
                }
                return null;
            case "isClosed":
                return closed;
            case "cancel":
                // Called from another thread while this statement runs (JdbcProxy does not make it wait for the
                // connection): its execute, or its result set's next(), then fails with SQLState 57014.
                connection.cancel(self);
                return null;
            case "getConnection":
                return connectionProxy;
            case "setMaxRows":
            case "setLargeMaxRows":
                maxRows = nonNegative(((Number) a[0]).longValue(), "max rows");
                return null;
            case "getMaxRows":
                return (int) Math.min(Integer.MAX_VALUE, maxRows);
            case "getLargeMaxRows":
                return maxRows;
            case "setQueryTimeout":
                queryTimeout = (int) nonNegative((Integer) a[0], "query timeout");
                return null;
            case "getQueryTimeout":
                return queryTimeout;
            case "closeOnCompletion":
                open();
                closeOnCompletion = true;
                return null;
            case "isCloseOnCompletion":
                return closeOnCompletion;
            case "setFetchSize":
                nonNegative((Integer) a[0], "fetch size"); // a hint: the server decides the page size
                return null;
            case "setEscapeProcessing":
            case "setPoolable":
            case "clearWarnings":
                return null;
            case "setFetchDirection":
                return (Integer) a[0] == ResultSet.FETCH_FORWARD ? null : UNSUPPORTED;
            case "getFetchSize":
                return 0;
            case "getFetchDirection":
                return ResultSet.FETCH_FORWARD;
            case "isPoolable":
                return false;
            case "getWarnings":
            case "getMetaData":
                return null;
            case "getResultSetType":
                return ResultSet.TYPE_FORWARD_ONLY;
            case "getResultSetConcurrency":
                return ResultSet.CONCUR_READ_ONLY;
            case "getResultSetHoldability":
                return ResultSet.CLOSE_CURSORS_AT_COMMIT;
            default:
                return prepared && name.startsWith("set") && a.length >= 2 ? setter(name, a) : UNSUPPORTED;
        }
    }

    /** execute/executeUpdate(sql, Statement.RETURN_GENERATED_KEYS or NO_GENERATED_KEYS): keys are always kept. */
    private static boolean autoGeneratedKeysArgument(Object[] a) {
        return a.length == 2 && a[1] instanceof Integer;
    }

    private static long nonNegative(long value, String what) throws SQLException {
        if (value < 0) {
            throw new SQLException(what + " must be >= 0, not " + value);
        }
        return value;
    }

    private Object setter(String name, Object[] a) throws SQLException {
        switch (name) {
            case "setNull":
                set(a, null);
                return null;
            case "setObject":
                if (a.length == 4) {
                    return UNSUPPORTED;
                }
                set(a, Bindings.bindable(a[1]));
                return null;
            case "setString", "setNString", "setBytes", "setBoolean", "setLong", "setInt", "setShort", "setByte",
                    "setDouble", "setFloat", "setBigDecimal", "setTimestamp", "setDate", "setTime":
                if (a.length != 2) {
                    return UNSUPPORTED; // the Calendar variants
                }
                set(a, Bindings.bindable(a[1]));
                return null;
            default:
                return UNSUPPORTED;
        }
    }
}
