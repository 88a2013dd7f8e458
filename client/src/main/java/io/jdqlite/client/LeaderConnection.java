package io.jdqlite.client;

import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;

/** A {@link DqliteConnection}: one transport to the leader and the database it opened there. */
final class LeaderConnection implements DqliteConnection {
    private final Transport transport;
    private final String database;
    private final long dbId;
    private StreamingRows openRows;
    /** Read by {@link #interrupt} in another thread. */
    private volatile boolean closed;

    LeaderConnection(Transport transport, String database, long dbId) {
        this.transport = transport;
        this.database = database;
        this.dbId = dbId;
    }

    Transport transport() {
        return transport;
    }

    long dbId() {
        return dbId;
    }

    /** Called by a result when its last page arrived. */
    void release(StreamingRows rows) {
        if (openRows == rows) {
            openRows = null;
        }
    }

    /**
     * Before a new request: a result still being read is read to its end first and kept in memory for its
     * reader (with its failure, if it failed or was interrupted), as the connection carries one request at a time.
     */
    void ready() throws DqliteException {
        if (closed) {
            throw DqliteException.misuse("connection is closed");
        }
        if (openRows != null) {
            openRows.readRest();
        }
        if (transport.isBroken()) {
            throw DqliteException.connection("connection to " + transport.address() + " is broken", false, null);
        }
    }

    @Override
    public String database() {
        return database;
    }

    @Override
    public String serverAddress() {
        return transport.address();
    }

    @Override
    public ExecResult exec(String sql, Object... params) throws DqliteException {
        ready();
        Response r = transport.call(new Request.ExecSql(dbId, sql, Params.of(params)), true);
        return result(r);
    }

    @Override
    public Rows query(String sql, Object... params) throws DqliteException {
        ready();
        return query(new Request.QuerySql(dbId, sql, Params.of(params)), () -> {
            // exactly the statement the QUERY named: its first (QUERY_SQL ignores the rest)
            try (Statement first = prepare(sql)) {
                first.exec(params);
            }
        });
    }

    /** What runs a statement with EXEC instead of QUERY. */
    @FunctionalInterface
    interface ExecInstead {
        void run() throws DqliteException;
    }

    /** Sends a QUERY; one that C dqlite refuses for having no result columns runs with {@code instead}. */
    Rows query(Request query, ExecInstead instead) throws DqliteException {
        try {
            return rows(transport.call(query, false));
        } catch (DqliteException e) {
            if (!NoColumnsRefusal.is(e)) {
                throw e;
            }
        }
        instead.run();
        return NoColumnsRefusal.noRows(this);
    }

    @Override
    public void requestTimeout(java.time.Duration timeout) throws DqliteException {
        transport.replyTimeout(timeout);
    }

    @Override
    public Statement prepare(String sql) throws DqliteException {
        ready();
        Response r = transport.call(new Request.Prepare(dbId, sql), false);
        if (r instanceof Response.Stmt s) {
            return new PreparedStatement(this, s.stmtId(), (int) s.paramCount());
        }
        if (r instanceof Response.StmtWithOffset s) {
            return new PreparedStatement(this, s.stmtId(), (int) s.paramCount());
        }
        throw unexpected(r);
    }

    ExecResult result(Response r) throws DqliteException {
        if (r instanceof Response.Result res) {
            return new ExecResult(res.lastInsertId(), res.rowsAffected());
        }
        throw unexpected(r);
    }

    Rows rows(Response r) throws DqliteException {
        if (r instanceof Response.Rows first) {
            StreamingRows rows = new StreamingRows(this, first);
            if (!first.done()) {
                openRows = rows;
            }
            return rows;
        }
        throw unexpected(r);
    }

    static DqliteException unexpected(Response r) {
        return DqliteException.connection("unexpected " + r.type() + " response", false, null);
    }

    @Override
    public boolean interrupt() {
        return !closed && transport.interrupt(dbId);
    }

    @Override
    public boolean isClosed() {
        return closed || transport.isBroken();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            transport.close();
        }
    }
}
