package io.jdqlite.client;

/** What a write reports: the last inserted rowid and the rows changed. */
public record ExecResult(long lastInsertId, long rowsAffected) {
}
