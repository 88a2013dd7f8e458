package io.jdqlite.wire;

/** Response type codes (the header's type byte of a server message). */
public enum ResponseType {
    FAILURE(0),
    /** The leader: id and address (LEADER response). */
    SERVER(1),
    WELCOME(2),
    SERVERS(3), DB(4),
    /** STMT (schema 0) and STMT_WITH_OFFSET (schema 1). */
    STMT(5),
    RESULT(6), ROWS(7), EMPTY(8), FILES(9), METADATA(10);

    private final int code;

    ResponseType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with {@code code}, or null when unknown. */
    public static ResponseType fromCode(int code) {
        ResponseType[] all = values();
        return code >= 0 && code < all.length ? all[code] : null;
    }
}
