package io.jdqlite.engine;

import java.util.Iterator;
import java.util.List;

/**
 * A query's rows. Each value is a {@code Long}, {@code Double}, {@code String}, {@code byte[]} or
 * {@code null}, i.e. SQLite's storage class of that value. {@code declaredTypes} holds each column's
 * declared type (null for expressions) so the wire layer can apply dqlite's UNIXTIME / ISO8601 /
 * BOOLEAN mapping.
 *
 * <p>A result larger than the engine's {@code maxResultBytes} of heap is spilled to a file in the data
 * directory instead ({@link #spilled()}): read it with {@link #cursor()}, and {@link #close()} it to delete the
 * file. Closing an in-memory result does nothing.
 */
public final class QueryResult implements AutoCloseable {
    private final List<String> columns;
    private final List<String> declaredTypes;
    /** The rows, or null when they are in {@link #spill}. */
    private final List<Object[]> rows;
    private final SpilledRows spill;

    public QueryResult(List<String> columns, List<String> declaredTypes, List<Object[]> rows) {
        this(columns, declaredTypes, rows, null);
    }

    private QueryResult(List<String> columns, List<String> declaredTypes, List<Object[]> rows, SpilledRows spill) {
        this.columns = columns;
        this.declaredTypes = declaredTypes;
        this.rows = rows;
        this.spill = spill;
    }

    static QueryResult spilled(List<String> columns, List<String> declaredTypes, SpilledRows spill) {
        return new QueryResult(columns, declaredTypes, null, spill);
    }

    /** No columns and no rows (a statement that returns nothing). */
    static QueryResult empty() {
        return new QueryResult(List.of(), List.of(), List.of());
    }

    public List<String> columns() {
        return columns;
    }

    public List<String> declaredTypes() {
        return declaredTypes;
    }

    /** The rows of a result held in memory; a spilled one is read with {@link #cursor()}. */
    public List<Object[]> rows() {
        if (spill != null) {
            throw new IllegalStateException("the result was spilled to disk (" + spill.rowCount()
                    + " rows): read it with cursor()");
        }
        return rows;
    }

    /** Whether the rows are in a file rather than on the heap. */
    public boolean spilled() {
        return spill != null;
    }

    public long rowCount() {
        return spill != null ? spill.rowCount() : rows.size();
    }

    /**
     * The rows in order, read as they are taken: from memory, or from the spill file (whose read failures come
     * as {@link java.io.UncheckedIOException}). One pass per spilled result.
     */
    public Iterator<Object[]> cursor() {
        return spill != null ? spill.reader() : rows.iterator();
    }

    /** Deletes the spill file, if any; idempotent. */
    @Override
    public void close() {
        if (spill != null) {
            spill.close();
        }
    }
}
