package io.jdqlite.engine;

/** A failure the engine reports to a client: a SQLite/dqlite result code and a message. */
public class EngineException extends RuntimeException {
    private final int code;

    public EngineException(int code, String message) {
        super(message);
        this.code = code;
    }

    public EngineException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** SQLite extended result code (see {@link ErrorCodes}). */
    public int code() {
        return code;
    }

    public static EngineException notLeader() {
        return new EngineException(ErrorCodes.SQLITE_IOERR_NOT_LEADER, "not leader");
    }

    public static EngineException leadershipLost() {
        return new EngineException(ErrorCodes.SQLITE_IOERR_LEADERSHIP_LOST, "leadership lost");
    }
}
