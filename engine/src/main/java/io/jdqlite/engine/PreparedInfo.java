package io.jdqlite.engine;

/**
 * A statement prepared in a {@link Session}: its id (unique within the session), its parameter count,
 * and the UTF-8 byte offset where the text after the prepared (first) statement starts.
 */
public record PreparedInfo(int id, int paramCount, int tailOffset) {
}
