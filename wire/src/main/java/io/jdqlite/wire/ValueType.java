package io.jdqlite.wire;

/** dqlite's value type codes, as used in parameter and row tuples. */
public enum ValueType {
    INTEGER(1), FLOAT(2), TEXT(3), BLOB(4), NULL(5),
    /** An INTEGER from a DATETIME/DATE/TIMESTAMP column: Unix time in seconds. */
    UNIXTIME(9),
    /** A TEXT (or NULL, as "") from a DATETIME/DATE/TIMESTAMP column. */
    ISO8601(10),
    /** An INTEGER (or NULL, as 0) from a BOOLEAN column. */
    BOOLEAN(11);

    private static final ValueType[] BY_CODE = new ValueType[16];

    static {
        for (ValueType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    ValueType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with {@code code}, or a {@link ProtocolException}. */
    public static ValueType fromCode(int code) {
        ValueType t = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (t == null) {
            throw new ProtocolException("unknown value type code " + code);
        }
        return t;
    }
}
