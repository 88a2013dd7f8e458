package io.jdqlite.jdbc;

import io.jdqlite.client.ExecResult;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Statement, or a PreparedStatement when created with SQL. Statements returning rows (SELECT, WITH,
 * PRAGMA, EXPLAIN, VALUES) run as queries; the rest as exec. Dates are bound as ISO-8601 text.
 */
final class JdbcStatement extends JdbcProxy {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private final Connection connectionProxy;
    private final JdbcConnection connection;
    private final String sql;
    private Object[] params;
    private final List<Object> batch = new ArrayList<>();
    private ResultSet resultSet;
    private long updateCount = -1;
    private long lastInsertId;
    private boolean closed;
    private int maxRows;
    private int queryTimeout;

    private JdbcStatement(Connection connectionProxy, JdbcConnection connection, String sql) {
        super(sql == null ? Statement.class : PreparedStatement.class);
        this.connectionProxy = connectionProxy;
        this.connection = connection;
        this.sql = sql;
        this.params = new Object[sql == null ? 0 : countParameters(sql)];
    }

    static Object create(Connection proxy, JdbcConnection connection, String sql) {
        return new JdbcStatement(proxy, connection, sql).proxy();
    }

    /** '?' outside quotes; numbered parameters (?NNN, :name) are not supported by this binding. */
    static int countParameters(String sql) {
        int n = 0;
        char quote = 0;
        for (char c : sql.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '?') {
                n++;
            }
        }
        return n;
    }

    static boolean returnsRows(String sql) {
        String head = sql.stripLeading().toUpperCase(Locale.ROOT);
        return head.startsWith("SELECT") || head.startsWith("WITH") || head.startsWith("PRAGMA")
                || head.startsWith("EXPLAIN") || head.startsWith("VALUES");
    }

    private void open() throws SQLException {
        if (closed) {
            throw new SQLException("statement is closed");
        }
    }

    private boolean execute(String text, Object[] args) throws SQLException {
        open();
        resultSet = null;
        updateCount = -1;
        if (returnsRows(text)) {
            List<String> columns = new ArrayList<>();
            List<Object[]> rows = connection.query(text, args, columns);
            if (maxRows > 0 && rows.size() > maxRows) {
                rows = rows.subList(0, maxRows);
            }
            resultSet = JdbcResultSet.of(null, columns, rows);
            return true;
        }
        ExecResult r = connection.exec(text, args);
        updateCount = r.rowsAffected();
        lastInsertId = r.lastInsertId();
        return false;
    }

    private ResultSet query(String text, Object[] args) throws SQLException {
        if (!execute(text, args)) {
            throw new SQLException("the statement returned no rows: " + text);
        }
        return resultSet;
    }

    private long update(String text, Object[] args) throws SQLException {
        if (execute(text, args)) {
            throw new SQLException("the statement returned rows (use executeQuery): " + text);
        }
        return updateCount;
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

    private static Object bindable(Object v) throws SQLException {
        if (v == null || v instanceof Long || v instanceof Double || v instanceof String || v instanceof byte[]
                || v instanceof Boolean) {
            return v;
        } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        } else if (v instanceof Float f) {
            return f.doubleValue();
        } else if (v instanceof BigDecimal d) {
            return d.toPlainString();
        } else if (v instanceof Timestamp t) {
            return TIMESTAMP.format(t.toLocalDateTime());
        } else if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        } else if (v instanceof java.sql.Time t) {
            return t.toLocalTime().toString();
        } else if (v instanceof java.time.temporal.TemporalAccessor t) {
            return t.toString();
        } else if (v instanceof Character c) {
            return c.toString();
        }
        throw new SQLException("cannot bind a " + v.getClass().getName() + " (use numbers, strings, byte[], booleans or dates)");
    }

    @Override
    Object call(Object self, String name, Object[] a) throws SQLException {
        boolean prepared = sql != null;
        switch (name) {
            case "executeQuery":
                return prepared && a.length == 0 ? query(sql, boundParameters()) : a.length == 1 ? query((String) a[0], new Object[0]) : UNSUPPORTED;
            case "executeUpdate":
            case "executeLargeUpdate": {
                long n = prepared && a.length == 0 ? update(sql, boundParameters()) : update((String) a[0], new Object[0]);
                return name.equals("executeUpdate") ? (Object) (int) n : (Object) n;
            }
            case "execute":
                return prepared && a.length == 0 ? execute(sql, boundParameters()) : execute((String) a[0], new Object[0]);
            case "getResultSet":
                return resultSet;
            case "getUpdateCount":
                return (int) updateCount;
            case "getLargeUpdateCount":
                return updateCount;
            case "getMoreResults":
                resultSet = null;
                updateCount = -1;
                return false;
            case "getGeneratedKeys":
                return JdbcResultSet.of((Statement) self, List.of("GENERATED_KEY"),
                        updateCount > 0 ? List.<Object[]>of(new Object[] {lastInsertId}) : List.of());
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
                List<Object> work = new ArrayList<>(batch);
                batch.clear();
                long[] counts = new long[work.size()];
                for (int i = 0; i < work.size(); i++) {
                    Object w = work.get(i);
                    counts[i] = w instanceof String s ? update(s, new Object[0]) : update(sql, (Object[]) w);
                }
                return name.equals("executeBatch") ? Arrays.stream(counts).mapToInt(c -> (int) c).toArray() : counts;
            }
            case "clearParameters":
                Arrays.fill(params, null);
                return null;
            case "close":
                closed = true;
                resultSet = null;
                return null;
            case "isClosed":
                return closed;
            case "getConnection":
                return connectionProxy;
            case "setMaxRows":
                maxRows = (Integer) a[0];
                return null;
            case "getMaxRows":
                return maxRows;
            case "setQueryTimeout":
                queryTimeout = (Integer) a[0];
                return null;
            case "getQueryTimeout":
                return queryTimeout;
            case "setFetchSize":
            case "setEscapeProcessing":
            case "setPoolable":
            case "closeOnCompletion":
            case "clearWarnings":
            case "setFetchDirection":
                return null;
            case "getFetchSize":
                return 0;
            case "getFetchDirection":
                return ResultSet.FETCH_FORWARD;
            case "isPoolable":
            case "isCloseOnCompletion":
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

    private Object setter(String name, Object[] a) throws SQLException {
        switch (name) {
            case "setNull":
                set(a, null);
                return null;
            case "setObject":
                if (a.length == 4) {
                    return UNSUPPORTED;
                }
                set(a, bindable(a[1]));
                return null;
            case "setString", "setNString", "setBytes", "setBoolean", "setLong", "setInt", "setShort", "setByte",
                    "setDouble", "setFloat", "setBigDecimal", "setTimestamp", "setDate", "setTime":
                if (a.length != 2) {
                    return UNSUPPORTED; // the Calendar variants
                }
                set(a, bindable(a[1]));
                return null;
            default:
                return UNSUPPORTED;
        }
    }
}
