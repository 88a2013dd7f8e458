package io.jdqlite.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/** Column names, and types as the first non-NULL value of each column shows them. */
final class JdbcResultSetMetaData extends JdbcProxy {
    private final List<String> columns;
    private final int[] types;

    private JdbcResultSetMetaData(List<String> columns, List<Object[]> rows) {
        super(ResultSetMetaData.class);
        this.columns = columns;
        this.types = new int[columns.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = Types.NULL;
            for (Object[] r : rows) {
                if (r[i] != null) {
                    types[i] = Values.sqlType(r[i]);
                    break;
                }
            }
        }
    }

    static ResultSetMetaData of(List<String> columns, List<Object[]> rows) {
        return new JdbcResultSetMetaData(columns, rows).proxy();
    }

    @Override
    Object call(Object self, String name, Object[] a) throws SQLException {
        if (name.equals("getColumnCount")) {
            return columns.size();
        }
        if (a.length != 1 || !(a[0] instanceof Integer)) {
            return UNSUPPORTED;
        }
        int i = (Integer) a[0];
        if (i < 1 || i > columns.size()) {
            throw new SQLException("column index " + i + " out of range 1.." + columns.size());
        }
        int t = types[i - 1];
        return switch (name) {
            case "getColumnName", "getColumnLabel" -> columns.get(i - 1);
            case "getColumnType" -> t;
            case "getColumnTypeName" -> switch (t) {
                case Types.BIGINT, Types.INTEGER -> "INTEGER";
                case Types.SMALLINT -> "SMALLINT";
                case Types.DOUBLE -> "REAL";
                case Types.BLOB -> "BLOB";
                case Types.BOOLEAN -> "BOOLEAN";
                case Types.NULL -> "NULL";
                default -> "TEXT";
            };
            case "getColumnClassName" -> switch (t) {
                case Types.BIGINT -> Long.class.getName();
                case Types.INTEGER -> Integer.class.getName();
                case Types.SMALLINT -> Short.class.getName();
                case Types.DOUBLE -> Double.class.getName();
                case Types.BLOB -> byte[].class.getName();
                case Types.BOOLEAN -> Boolean.class.getName();
                default -> String.class.getName();
            };
            case "isNullable" -> ResultSetMetaData.columnNullableUnknown;
            case "getTableName", "getSchemaName", "getCatalogName" -> "";
            case "getPrecision", "getScale" -> 0;
            case "getColumnDisplaySize" -> Integer.MAX_VALUE;
            case "isAutoIncrement", "isCurrency", "isReadOnly" -> false;
            case "isCaseSensitive", "isSearchable", "isSigned", "isWritable" -> true;
            case "isDefinitelyWritable" -> false;
            default -> UNSUPPORTED;
        };
    }
}
