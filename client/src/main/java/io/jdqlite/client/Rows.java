package io.jdqlite.client;

import io.jdqlite.wire.ValueType;

import java.util.List;

/** A forward-only cursor over a result that may span several pages. */
public interface Rows extends AutoCloseable {
    List<String> columns();

    /** Moves to the next row, fetching the next page when needed; false at the end. */
    boolean next() throws DqliteException;

    /**
     * The value of column {@code column} (0-based) of the current row: Long, Double, String, byte[] or
     * null; UNIXTIME as Long, ISO8601 as String, BOOLEAN as Boolean, as the wire gives them.
     */
    Object get(int column);

    /** The wire type of the current row's value. */
    ValueType type(int column);

    /** Reads the rest of the result so the connection can be used again. */
    @Override
    void close();
}
