package io.jdqlite.wire;

/** Result codes carried by FAILURE responses: SQLite (extended) codes plus dqlite's own. */
public final class ErrorCodes {
    public static final int SQLITE_OK = 0;
    public static final int SQLITE_ERROR = 1;
    public static final int SQLITE_INTERNAL = 2;
    public static final int SQLITE_ABORT = 4;
    public static final int SQLITE_BUSY = 5;
    public static final int SQLITE_NOMEM = 7;
    public static final int SQLITE_INTERRUPT = 9;
    public static final int SQLITE_IOERR = 10;
    public static final int SQLITE_NOTFOUND = 12;
    public static final int SQLITE_PROTOCOL = 15;
    public static final int SQLITE_TOOBIG = 18;
    public static final int SQLITE_CONSTRAINT = 19;
    public static final int SQLITE_MISUSE = 21;
    public static final int SQLITE_RANGE = 25;
    /** dqlite: this node is not the leader. */
    public static final int SQLITE_IOERR_NOT_LEADER = SQLITE_IOERR | (40 << 8);
    /** dqlite: leadership was lost while committing. */
    public static final int SQLITE_IOERR_LEADERSHIP_LOST = SQLITE_IOERR | (41 << 8);
    /** dqlite: generic protocol error. */
    public static final int DQLITE_PROTO = 1001;
    /** dqlite: no such database/entity. */
    public static final int DQLITE_NOTFOUND = 1002;
    /** dqlite: a message could not be parsed. */
    public static final int DQLITE_PARSE = 1005;

    private ErrorCodes() {
    }
}
