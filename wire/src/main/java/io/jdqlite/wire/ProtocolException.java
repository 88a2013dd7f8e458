package io.jdqlite.wire;

/**
 * The one error the codec raises for input that does not follow the dqlite wire protocol: truncated,
 * oversized, unknown or inconsistent data. {@link #code()} is the dqlite/SQLite code a server puts
 * in the FAILURE response it sends back.
 */
public class ProtocolException extends RuntimeException {
    private final int code;

    public ProtocolException(String message) {
        this(ErrorCodes.DQLITE_PARSE, message);
    }

    public ProtocolException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
