package io.jdqlite.client;

import io.jdqlite.wire.Response;
import io.jdqlite.wire.Value;
import io.jdqlite.wire.ValueType;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Rows read page by page from the connection that ran the query; the connection is busy until done, or
 * until another request makes the rest be read into memory ({@link #readRest}).
 */
final class StreamingRows implements Rows {
    private final LeaderConnection owner;
    private final List<String> columns;
    /** Pages already read from the connection but not yet reached by the reader. */
    private final Deque<List<List<Value>>> readAhead = new ArrayDeque<>();
    private List<List<Value>> page;
    private boolean lastPage;
    /** How the result ended when {@link #readRest} read it: told to the reader after the pages it got. */
    private DqliteException failure;
    private int index = -1;
    private boolean closed;

    StreamingRows(LeaderConnection owner, Response.Rows first) {
        this.owner = owner;
        this.columns = first.columns();
        this.page = first.rows();
        this.lastPage = first.done();
        if (lastPage) {
            owner.release(this);
        }
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public boolean next() throws DqliteException {
        if (closed) {
            return false;
        }
        while (index + 1 >= page.size()) {
            if (!readAhead.isEmpty()) {
                page = readAhead.poll();
                index = -1;
                continue;
            }
            if (failure != null) {
                DqliteException f = failure;
                failure = null;
                throw f;
            }
            if (lastPage) {
                index = page.size();
                return false;
            }
            page = receivePage();
            index = -1;
        }
        index++;
        return true;
    }

    private List<List<Value>> receivePage() throws DqliteException {
        Response r;
        try {
            r = owner.transport().receive();
        } catch (DqliteException e) {
            // interrupted, failed midway, or the connection broke: no more pages either way
            lastPage = true;
            owner.release(this);
            throw e;
        }
        if (!(r instanceof Response.Rows more)) {
            throw DqliteException.connection("unexpected " + r.type() + " while reading rows", false, null);
        }
        lastPage = more.done();
        if (lastPage) {
            owner.release(this);
        }
        return more.rows();
    }

    /**
     * Reads the pages still on the connection into memory, so that the connection is free for another request;
     * how the result ended, if it failed, is kept for its reader (the new request hears of a broken connection
     * from the connection).
     */
    void readRest() {
        try {
            while (!lastPage) {
                readAhead.add(receivePage());
            }
        } catch (DqliteException e) {
            failure = e;
        }
    }

    private Value current(int column) {
        if (index < 0 || index >= page.size()) {
            throw new IllegalStateException("no current row: call next() first");
        }
        if (column < 0 || column >= columns.size()) {
            throw new IndexOutOfBoundsException("column " + column + " of " + columns.size());
        }
        return page.get(index).get(column);
    }

    @Override
    public Object get(int column) {
        Value v = current(column);
        // dqlite sends a NULL in a DATE/DATETIME/TIMESTAMP column as an empty ISO-8601 text.
        if (v.type() == ValueType.ISO8601 && "".equals(v.value())) {
            return null;
        }
        return v.value();
    }

    @Override
    public ValueType type(int column) {
        return current(column).type();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        readAhead.clear();
        failure = null;
        // Rows nobody will read: the node stops sending them (INTERRUPT, as go-dqlite does), and what it sent
        // meanwhile is read up to its EMPTY by the interrupt itself. A node that does not confirm in time
        // loses the connection instead.
        if (!lastPage && owner.interrupt()) {
            lastPage = true;
        }
        try {
            while (!lastPage) {
                receivePage();
            }
        } catch (DqliteException e) {
            // the connection is broken: the owner notices on its next use
        }
        owner.release(this);
    }
}
