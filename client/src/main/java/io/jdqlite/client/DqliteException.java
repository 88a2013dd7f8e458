package io.jdqlite.client;

import io.jdqlite.wire.ErrorCodes;

import java.sql.SQLException;

/** A failure from the server (SQLite/dqlite code and message) or of the connection. */
public final class DqliteException extends SQLException {
    /** Client-side code: the connection failed or timed out. */
    public static final int CONNECTION_FAILED = -1;
    private final boolean outcomeUnknown;

    DqliteException(String message, int code, boolean outcomeUnknown, Throwable cause) {
        super(message, null, code, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    static DqliteException server(long code, String message) {
        // Leadership lost mid-write, or a write that timed out waiting for a quorum (plain IOERR): either
        // may still commit.
        boolean lost = code == ErrorCodes.SQLITE_IOERR_LEADERSHIP_LOST || code == ErrorCodes.SQLITE_IOERR;
        return new DqliteException(message + " (code " + code + ")", (int) code, lost, null);
    }

    static DqliteException connection(String message, boolean outcomeUnknown, Throwable cause) {
        return new DqliteException(message, CONNECTION_FAILED, outcomeUnknown, cause);
    }

    static DqliteException misuse(String message) {
        return new DqliteException(message, ErrorCodes.SQLITE_MISUSE, false, null);
    }

    /** The server is not the leader (nothing ran): the caller may retry on the leader. */
    public boolean isNotLeader() {
        return getErrorCode() == ErrorCodes.SQLITE_IOERR_NOT_LEADER;
    }

    /** A write may or may not have committed; never retried automatically. */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
