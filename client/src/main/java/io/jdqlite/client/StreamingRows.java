package io.jdqlite.client;

import io.jdqlite.wire.Response;
import io.jdqlite.wire.Value;
import io.jdqlite.wire.ValueType;

import java.util.List;

/** Rows read page by page from the connection that ran the query; the connection is busy until done. */
final class StreamingRows implements Rows {
    private final LeaderConnection owner;
    private final List<String> columns;
    private List<List<Value>> page;
    private boolean lastPage;
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
            if (lastPage) {
                index = page.size();
                return false;
            }
            Response r = owner.transport().receive(false);
            if (!(r instanceof Response.Rows more)) {
                throw DqliteException.connection("unexpected " + r.type() + " while reading rows", false, null);
            }
            page = more.rows();
            index = -1;
            lastPage = more.done();
            if (lastPage) {
                owner.release(this);
            }
        }
        index++;
        return true;
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
        return current(column).value();
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
        try {
            while (!lastPage) {
                Response r = owner.transport().receive(false);
                if (!(r instanceof Response.Rows more)) {
                    break;
                }
                lastPage = more.done();
            }
        } catch (DqliteException e) {
            // the connection is broken: the owner notices on its next use
        }
        owner.release(this);
    }
}
