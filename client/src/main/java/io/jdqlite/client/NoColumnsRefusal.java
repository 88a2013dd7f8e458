package io.jdqlite.client;

import io.jdqlite.wire.ErrorCodes;
import io.jdqlite.wire.Response;

import java.util.List;

/**
 * C dqlite before 1.18.2 (Debian 12 ships 1.11) refuses to QUERY a statement that yields no columns
 * ({@code PRAGMA foreign_keys=OFF}, {@code WITH ... INSERT}, {@code PRAGMA shrink_memory}): it checks the column
 * count before running anything and answers SQLITE_ERROR with SQLite's text for no error. The client then
 * runs the statement with EXEC and gives a result without columns or rows, which is what jdqlite and newer C
 * dqlite answer such a QUERY with.
 */
final class NoColumnsRefusal {
    /** What {@link DqliteException#server} makes of that answer: code 1 and sqlite3_errmsg() of SQLITE_OK. */
    private static final String MESSAGE = "not an error (code 1)";

    private NoColumnsRefusal() {
    }

    static boolean is(DqliteException e) {
        return e.getErrorCode() == ErrorCodes.SQLITE_ERROR && MESSAGE.equals(e.getMessage());
    }

    static Rows noRows(LeaderConnection connection) {
        return new StreamingRows(connection, new Response.Rows(List.of(), List.of(), true));
    }
}
