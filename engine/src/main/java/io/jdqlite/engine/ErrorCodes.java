package io.jdqlite.engine;

/** SQLite and dqlite result codes the engine reports (the same numbers dqlite puts on the wire). */
public final class ErrorCodes {
    public static final int SQLITE_ERROR = 1;
    public static final int SQLITE_INTERNAL = 2;
    public static final int SQLITE_ABORT = 4;
    public static final int SQLITE_BUSY = 5;
    public static final int SQLITE_NOMEM = 7;
    public static final int SQLITE_READONLY = 8;
    public static final int SQLITE_INTERRUPT = 9;
    public static final int SQLITE_IOERR = 10;
    public static final int SQLITE_NOTFOUND = 12;
    public static final int SQLITE_FULL = 13;
    public static final int SQLITE_CANTOPEN = 14;
    public static final int SQLITE_PROTOCOL = 15;
    public static final int SQLITE_TOOBIG = 18;
    public static final int SQLITE_CONSTRAINT = 19;
    public static final int SQLITE_MISUSE = 21;
    public static final int SQLITE_AUTH = 23;
    public static final int SQLITE_RANGE = 25;
    /** dqlite: the node is not the leader (SQLITE_IOERR | 40 << 8). */
    public static final int SQLITE_IOERR_NOT_LEADER = SQLITE_IOERR | (40 << 8);
    /** dqlite: leadership was lost while the transaction was being replicated (SQLITE_IOERR | 41 << 8). */
    public static final int SQLITE_IOERR_LEADERSHIP_LOST = SQLITE_IOERR | (41 << 8);

    private ErrorCodes() {
    }
}
