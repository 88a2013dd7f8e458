package io.jdqlite.engine;

/** A statement prepared in a {@link Session}: its id (unique within the session) and parameter count. */
public record PreparedInfo(int id, int paramCount) {
}
