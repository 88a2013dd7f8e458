package io.jdqlite.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * One typed value of a tuple. The Java representation per type: INTEGER and UNIXTIME {@code Long},
 * FLOAT {@code Double}, TEXT and ISO8601 {@code String}, BLOB {@code byte[]}, NULL {@code null},
 * BOOLEAN {@code Boolean}.
 */
public record Value(ValueType type, Object value) {
    public static final Value NULL = new Value(ValueType.NULL, null);

    public Value {
        Objects.requireNonNull(type, "type");
        Class<?> expected = switch (type) {
            case INTEGER, UNIXTIME -> Long.class;
            case FLOAT -> Double.class;
            case TEXT, ISO8601 -> String.class;
            case BLOB -> byte[].class;
            case BOOLEAN -> Boolean.class;
            case NULL -> null;
        };
        if (expected == null ? value != null : !expected.isInstance(value)) {
            throw new IllegalArgumentException(type + " value must be "
                    + (expected == null ? "null" : expected.getSimpleName()) + ", got " + describe(value));
        }
    }

    public static Value integer(long v) {
        return new Value(ValueType.INTEGER, v);
    }

    public static Value real(double v) {
        return new Value(ValueType.FLOAT, v);
    }

    public static Value text(String v) {
        return new Value(ValueType.TEXT, v);
    }

    public static Value blob(byte[] v) {
        return new Value(ValueType.BLOB, v);
    }

    public static Value unixTime(long seconds) {
        return new Value(ValueType.UNIXTIME, seconds);
    }

    public static Value iso8601(String v) {
        return new Value(ValueType.ISO8601, v);
    }

    public static Value bool(boolean v) {
        return new Value(ValueType.BOOLEAN, v);
    }

    /**
     * The natural wire value of a plain Java object: Long/Integer/Short/Byte, Double/Float, String,
     * byte[], Boolean or null.
     */
    public static Value of(Object v) {
        if (v == null) {
            return NULL;
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return integer(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            return real(((Number) v).doubleValue());
        } else if (v instanceof String s) {
            return text(s);
        } else if (v instanceof byte[] b) {
            return blob(b);
        } else if (v instanceof Boolean b) {
            return bool(b);
        }
        throw new IllegalArgumentException("no dqlite value type for " + v.getClass().getName());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Value other) || other.type != type) {
            return false;
        }
        if (value instanceof byte[] a && other.value instanceof byte[] b) {
            return Arrays.equals(a, b);
        }
        if (value instanceof Double a && other.value instanceof Double b) {
            return Double.compare(a, b) == 0;
        }
        return Objects.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + (value instanceof byte[] b ? Arrays.hashCode(b) : Objects.hashCode(value));
    }

    @Override
    public String toString() {
        return type + "(" + describe(value) + ")";
    }

    private static String describe(Object v) {
        if (v instanceof byte[] b) {
            return "byte[" + b.length + "]";
        }
        return v == null ? "null" : v.getClass().getSimpleName() + " " + v;
    }
}
