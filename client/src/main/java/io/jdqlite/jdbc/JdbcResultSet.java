package io.jdqlite.jdbc;

import io.jdqlite.client.Rows;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A forward-only, read-only ResultSet. A query's rows stream from the connection page by page as next()
 * reaches them (one row read ahead, for isLast()), so a large result never sits in memory whole; metadata
 * results are small lists.
 */
final class JdbcResultSet extends JdbcProxy {
    private final Statement statement;
    private final Object monitor;
    private final List<String> columns;
    private final Rows rows;
    private final long maxRows;
    private final Runnable onClose;
    private long fetched;
    private Object[] current;
    private Object[] ahead;
    private boolean aheadRead;
    private long position;
    private boolean closed;
    private boolean wasNull;

    private JdbcResultSet(Statement statement, Object monitor, Rows rows, long maxRows, Runnable onClose) {
        super(ResultSet.class);
        this.statement = statement;
        this.monitor = monitor;
        this.rows = rows;
        this.columns = rows.columns();
        this.maxRows = maxRows;
        this.onClose = onClose;
    }

    /** Rows held in memory (metadata, generated keys). */
    static ResultSet of(Statement statement, List<String> columns, List<Object[]> rows) {
        JdbcResultSet rs = new JdbcResultSet(statement, null, new ListRows(columns, rows), 0, () -> { });
        return rs.proxy();
    }

    /**
     * Rows streaming from a query on {@code monitor}'s connection; at most {@code maxRows} (0: all);
     * {@code onClose} runs once when the result set closes.
     */
    static ResultSet streaming(Statement statement, Object monitor, Rows rows, long maxRows, Runnable onClose) {
        return new JdbcResultSet(statement, monitor, rows, maxRows, onClose).proxy();
    }

    @Override
    Object monitor() {
        return monitor != null ? monitor : this;
    }

    private Object[] peek() throws SQLException {
        if (!aheadRead) {
            ahead = fetch();
            aheadRead = true;
        }
        return ahead;
    }

    private Object[] fetch() throws SQLException {
        if (closed || (maxRows > 0 && fetched >= maxRows) || !rows.next()) {
            return null;
        }
        fetched++;
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = rows.get(i);
        }
        return row;
    }

    private boolean next() throws SQLException {
        if (closed) {
            throw new SQLException("result set is closed");
        }
        current = peek();
        aheadRead = false;
        ahead = null;
        position++;
        if (current == null) {
            rows.close(); // the connection is free again as soon as the last row was read
        }
        return current != null;
    }

    private void close() {
        if (!closed) {
            closed = true;
            rows.close();
            onClose.run();
        }
    }

    private int column(Object key) throws SQLException {
        if (key instanceof Integer i) {
            if (i < 1 || i > columns.size()) {
                throw new SQLException("column index " + i + " out of range 1.." + columns.size());
            }
            return i - 1;
        }
        String label = (String) key;
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(label)) {
                return i;
            }
        }
        throw new SQLException("no column named '" + label + "' (columns: " + columns + ")");
    }

    private Object value(Object key) throws SQLException {
        if (closed) {
            throw new SQLException("result set is closed");
        }
        if (current == null) {
            throw new SQLException("no current row: call next() first");
        }
        Object v = current[column(key)];
        wasNull = v == null;
        return v;
    }

    /** A row to read column types from: the current one, else the next. */
    private List<Object[]> sampleRow() throws SQLException {
        Object[] row = current != null ? current : (position == 0 ? peek() : null);
        return row == null ? List.of() : List.<Object[]>of(row);
    }

    @Override
    Object call(Object self, String name, Object[] a) throws SQLException {
        switch (name) {
            case "next":
                return next();
            case "close":
                close();
                return null;
            case "isClosed":
                return closed;
            case "wasNull":
                return wasNull;
            case "findColumn":
                return column(a[0]) + 1;
            case "getMetaData":
                return JdbcResultSetMetaData.of(columns, sampleRow());
            case "getStatement":
                return statement;
            case "getRow":
                return current != null ? (int) position : 0;
            case "isBeforeFirst":
                return position == 0 && !closed && peek() != null;
            case "isAfterLast":
                return position > 0 && current == null && fetched > 0;
            case "isFirst":
                return position == 1 && current != null;
            case "isLast":
                return current != null && peek() == null;
            case "getType":
                return ResultSet.TYPE_FORWARD_ONLY;
            case "getConcurrency":
                return ResultSet.CONCUR_READ_ONLY;
            case "getHoldability":
                return ResultSet.CLOSE_CURSORS_AT_COMMIT;
            case "getFetchDirection":
                return ResultSet.FETCH_FORWARD;
            case "setFetchDirection":
                return (Integer) a[0] == ResultSet.FETCH_FORWARD ? null : UNSUPPORTED;
            case "getFetchSize":
                return 0;
            case "setFetchSize":
            case "clearWarnings":
                return null;
            case "getWarnings":
                return null;
            default:
                return a.length >= 1 && name.startsWith("get") ? getter(name, a) : UNSUPPORTED;
        }
    }

    private Object getter(String name, Object[] a) throws SQLException {
        if (a.length == 2 && name.equals("getObject") && a[1] instanceof Class<?> type) {
            return typed(a[0], type);
        }
        if (a.length != 1 && !(a.length == 2 && name.equals("getBigDecimal"))) {
            return UNSUPPORTED;
        }
        Object v = value(a[0]);
        switch (name) {
            case "getObject":
                // The driver's own rows (metadata) hold the Java types the JDBC spec gives their columns.
                return rows instanceof ListRows ? v : Values.toObject(v);
            case "getString":
            case "getNString":
                return Values.toText(v);
            case "getLong":
                return Values.toLong(v);
            case "getInt":
                return Values.toInt(v);
            case "getShort":
                return (short) Values.toLong(v);
            case "getByte":
                return (byte) Values.toLong(v);
            case "getDouble":
                return Values.toDouble(v);
            case "getFloat":
                return (float) Values.toDouble(v);
            case "getBoolean":
                return Values.toBoolean(v);
            case "getBytes":
                return Values.toBytes(v);
            case "getBigDecimal":
                return Values.toBigDecimal(v);
            case "getTimestamp":
                return Values.toTimestamp(v);
            case "getDate":
                return Values.toDate(v);
            case "getTime":
                return Values.toTime(v);
            default:
                return UNSUPPORTED;
        }
    }

    private Object typed(Object key, Class<?> type) throws SQLException {
        return Values.toObject(value(key), type);
    }
}
