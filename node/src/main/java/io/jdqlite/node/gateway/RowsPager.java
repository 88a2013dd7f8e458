package io.jdqlite.node.gateway;

import io.jdqlite.engine.QueryResult;
import io.jdqlite.wire.MessageWriter;
import io.jdqlite.wire.Protocol;
import io.jdqlite.wire.ResponseType;
import io.jdqlite.wire.SqliteValues;
import io.jdqlite.wire.Value;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Cuts a result set into ROWS messages the way dqlite's query__batch does: rows are added while the
 * message is smaller than the page size, so a page ends with the first row that reaches it (and
 * holds at least one row). Every page repeats the column names; the last one ends with ROWS_DONE,
 * the others with ROWS_PART. Rows are taken from the result as pages go out, so a result spilled to disk
 * is read a page at a time (off the event loop: {@link PrefetchedPages}); {@link #close} deletes its file,
 * whether every page went out or not.
 */
final class RowsPager implements ResultPages {
    /** dqlite pages at its buffer size, the memory page size: 4 KiB. */
    static final int DEFAULT_PAGE_BYTES = 4096;

    private final QueryResult result;
    /** Opened at the first page, where that runs (a spill file is opened off the event loop too). */
    private Iterator<Object[]> rows;
    private final int pageBytes;

    RowsPager(QueryResult result, int pageBytes) {
        this.result = result;
        this.pageBytes = pageBytes;
    }

    /** Never null: the rows are read right here. */
    @Override
    public Page next() {
        if (rows == null) {
            rows = result.cursor();
        }
        MessageWriter w = new MessageWriter(Math.min(pageBytes * 2, 1 << 16));
        w.begin(ResponseType.ROWS.code(), 0);
        List<String> columns = result.columns();
        w.putUint64(columns.size());
        for (String c : columns) {
            w.putText(c.replace('\0', ' '));
        }
        int added = 0;
        while (rows.hasNext() && (added == 0 || w.bodyLength() + Protocol.HEADER_SIZE < pageBytes)) {
            w.putRow(toWire(rows.next()));
            added++;
        }
        boolean last = !rows.hasNext();
        w.putUint64(last ? Protocol.ROWS_DONE : Protocol.ROWS_PART);
        w.end();
        if (last) {
            result.close();
        }
        return new Page(w.buffer(), last);
    }

    @Override
    public void close() {
        result.close();
    }

    private List<Value> toWire(Object[] row) {
        List<String> declared = result.declaredTypes();
        List<Value> values = new ArrayList<>(row.length);
        for (int i = 0; i < row.length; i++) {
            String decl = declared != null && i < declared.size() ? declared.get(i) : null;
            values.add(SqliteValues.toWire(row[i], decl));
        }
        return values;
    }
}
