package io.jdqlite.client;

import io.jdqlite.wire.ErrorCodes;

import java.sql.SQLException;

/** A failure from the server (SQLite/dqlite code and message) or of the connection. */
public final class DqliteException extends SQLException {
    /** Client-side code: the connection failed or timed out. */
    public static final int CONNECTION_FAILED = -1;
    /** SQLState of a failed connection (SQL standard class 08). */
    public static final String STATE_CONNECTION_FAILURE = "08006";
    /** SQLState of a write whose outcome is unknown ("transaction resolution unknown"). */
    public static final String STATE_OUTCOME_UNKNOWN = "08007";
    /** SQLState of a constraint violation. */
    public static final String STATE_CONSTRAINT = "23000";
    /** SQLState of a statement stopped by {@link DqliteConnection#interrupt} ("query canceled", as JDBC drivers use it). */
    public static final String STATE_CANCELED = "57014";
    private static final String UNKNOWN_NOTE = ": the write may or may not have been applied";
    private final boolean outcomeUnknown;

    DqliteException(String message, String sqlState, int code, boolean outcomeUnknown, Throwable cause) {
        super(outcomeUnknown ? message + UNKNOWN_NOTE : message, outcomeUnknown ? STATE_OUTCOME_UNKNOWN : sqlState, code, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    static DqliteException server(long code, String message) {
        // Leadership lost mid-write, or a write that timed out waiting for a quorum (plain IOERR): either
        // may still commit.
        boolean lost = code == ErrorCodes.SQLITE_IOERR_LEADERSHIP_LOST || code == ErrorCodes.SQLITE_IOERR;
        String state = switch ((int) (code & 0xff)) {
            case ErrorCodes.SQLITE_CONSTRAINT -> STATE_CONSTRAINT;
            case ErrorCodes.SQLITE_INTERRUPT -> STATE_CANCELED;
            default -> null;
        };
        return new DqliteException(message + " (code " + code + ")", state, (int) code, lost, null);
    }

    static DqliteException connection(String message, boolean outcomeUnknown, Throwable cause) {
        return new DqliteException(message, STATE_CONNECTION_FAILURE, CONNECTION_FAILED, outcomeUnknown, cause);
    }

    /** The statement was interrupted ({@code detail}, when not null, says more: how the connection ended, say). */
    static DqliteException interrupted(boolean outcomeUnknown, String detail, Throwable cause) {
        String message = detail == null ? "interrupted" : "interrupted (" + detail + ")";
        return new DqliteException(message, STATE_CANCELED, ErrorCodes.SQLITE_INTERRUPT, outcomeUnknown, cause);
    }

    static DqliteException misuse(String message) {
        return new DqliteException(message, null, ErrorCodes.SQLITE_MISUSE, false, null);
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
