package io.jdqlite.wire;

/** Request type codes (the header's type byte of a client message). */
public enum RequestType {
    LEADER(0), CLIENT(1), HEARTBEAT(2), OPEN(3), PREPARE(4), EXEC(5), QUERY(6), FINALIZE(7),
    EXEC_SQL(8), QUERY_SQL(9), INTERRUPT(10),
    /** Raft-internal connection upgrade between dqlite nodes; not part of the client protocol. */
    CONNECT(11),
    ADD(12),
    /** Also the legacy PROMOTE request, which has no role field. */
    ASSIGN(13),
    REMOVE(14), DUMP(15), CLUSTER(16), TRANSFER(17), DESCRIBE(18), WEIGHT(19);

    private final int code;

    RequestType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with {@code code}, or null when unknown. */
    public static RequestType fromCode(int code) {
        RequestType[] all = values();
        return code >= 0 && code < all.length ? all[code] : null;
    }
}
