package io.jdqlite.wire;

/**
 * How a dqlite server types a column value, as C dqlite's {@code src/query.c} does: a column
 * declared (case-insensitively, exactly) DATETIME, DATE or TIMESTAMP yields UNIXTIME for integers
 * and ISO8601 for text and NULL (NULL as ""); a column declared BOOLEAN yields BOOLEAN for
 * integers and NULL (NULL as false). Everything else keeps its SQLite storage class.
 */
public final class SqliteValues {
    private SqliteValues() {
    }

    /**
     * The wire value of a SQLite value of storage class {@code value} (Long, Double, String,
     * byte[] or null; Integer/Boolean accepted as integers) in a column declared {@code declaredType}
     * (null for expressions). Where C dqlite would abort (a REAL or BLOB in a date or BOOLEAN
     * column), the storage class is kept instead. Text is cut at its first NUL character, as
     * dqlite's NUL-terminated encoding does.
     */
    public static Value toWire(Object value, String declaredType) {
        if (declaredType != null) {
            if (isTimeType(declaredType)) {
                if (isInteger(value)) {
                    return Value.unixTime(((Number) value).longValue());
                } else if (value instanceof String s) {
                    return Value.iso8601(cutAtNul(s));
                } else if (value == null) {
                    return Value.iso8601("");
                }
            } else if (declaredType.equalsIgnoreCase("BOOLEAN")) {
                if (value instanceof Boolean b) {
                    return Value.bool(b);
                } else if (isInteger(value)) {
                    return Value.bool(((Number) value).longValue() != 0);
                } else if (value == null) {
                    return Value.bool(false);
                }
            }
        }
        return storageValue(value);
    }

    private static Value storageValue(Object value) {
        if (value == null) {
            return Value.NULL;
        } else if (isInteger(value)) {
            return Value.integer(((Number) value).longValue());
        } else if (value instanceof Boolean b) {
            return Value.integer(b ? 1 : 0);
        } else if (value instanceof Double || value instanceof Float) {
            return Value.real(((Number) value).doubleValue());
        } else if (value instanceof String s) {
            return Value.text(cutAtNul(s));
        } else if (value instanceof byte[] b) {
            return Value.blob(b);
        }
        throw new IllegalArgumentException("not a SQLite value: " + value.getClass().getName());
    }

    private static boolean isTimeType(String t) {
        return t.equalsIgnoreCase("DATETIME") || t.equalsIgnoreCase("DATE") || t.equalsIgnoreCase("TIMESTAMP");
    }

    private static boolean isInteger(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
    }

    private static String cutAtNul(String s) {
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }
}
