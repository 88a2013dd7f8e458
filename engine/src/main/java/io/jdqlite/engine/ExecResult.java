package io.jdqlite.engine;

/** What an EXEC returns, as in dqlite's RESULT response. */
public record ExecResult(long lastInsertId, long rowsAffected) {
}
