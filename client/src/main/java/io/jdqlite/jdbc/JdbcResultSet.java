package io.jdqlite.jdbc;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/** A forward-only, read-only ResultSet over rows the query returned (held in memory). */
final class JdbcResultSet extends JdbcProxy {
    private final Statement statement;
    private final List<String> columns;
    private final List<Object[]> rows;
    private int index = -1;
    private boolean closed;
    private boolean wasNull;

    private JdbcResultSet(Statement statement, List<String> columns, List<Object[]> rows) {
        super(ResultSet.class);
        this.statement = statement;
        this.columns = columns;
        this.rows = rows;
    }

    static ResultSet of(Statement statement, List<String> columns, List<Object[]> rows) {
        return new JdbcResultSet(statement, columns, rows).proxy();
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
        if (index < 0 || index >= rows.size()) {
            throw new SQLException("no current row: call next() first");
        }
        Object v = rows.get(index)[column(key)];
        wasNull = v == null;
        return v;
    }

    @Override
    Object call(Object self, String name, Object[] a) throws SQLException {
        switch (name) {
            case "next":
                if (closed) {
                    throw new SQLException("result set is closed");
                }
                if (index < rows.size()) {
                    index++;
                }
                return index < rows.size();
            case "close":
                closed = true;
                return null;
            case "isClosed":
                return closed;
            case "wasNull":
                return wasNull;
            case "findColumn":
                return column(a[0]) + 1;
            case "getMetaData":
                return JdbcResultSetMetaData.of(columns, rows);
            case "getStatement":
                return statement;
            case "getRow":
                return index >= 0 && index < rows.size() ? index + 1 : 0;
            case "isBeforeFirst":
                return index < 0 && !rows.isEmpty();
            case "isAfterLast":
                return index >= rows.size() && !rows.isEmpty();
            case "isFirst":
                return index == 0 && !rows.isEmpty();
            case "isLast":
                return index == rows.size() - 1 && !rows.isEmpty();
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
                return v;
            case "getString":
            case "getNString":
                return Values.toText(v);
            case "getLong":
                return Values.toLong(v);
            case "getInt":
                return (int) Values.toLong(v);
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
        Object v = value(key);
        if (v == null) {
            return null;
        }
        String n = type.getSimpleName().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "string" -> Values.toText(v);
            case "long" -> Values.toLong(v);
            case "integer" -> (int) Values.toLong(v);
            case "double" -> Values.toDouble(v);
            case "boolean" -> Values.toBoolean(v);
            case "byte[]" -> Values.toBytes(v);
            case "bigdecimal" -> Values.toBigDecimal(v);
            case "timestamp" -> Values.toTimestamp(v);
            case "localdatetime" -> Values.toTimestamp(v).toLocalDateTime();
            case "localdate" -> Values.toDate(v).toLocalDate();
            case "object" -> v;
            default -> {
                if (type.isInstance(v)) {
                    yield v;
                }
                throw new SQLException("cannot convert " + v.getClass().getSimpleName() + " to " + type.getName());
            }
        };
    }
}
