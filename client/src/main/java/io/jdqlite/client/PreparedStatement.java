package io.jdqlite.client;

import io.jdqlite.wire.Request;

/** A {@link Statement} prepared on a {@link LeaderConnection}. */
final class PreparedStatement implements Statement {
    private final LeaderConnection connection;
    private final long id;
    private final int parameterCount;
    private boolean closed;

    PreparedStatement(LeaderConnection connection, long id, int parameterCount) {
        this.connection = connection;
        this.id = id;
        this.parameterCount = parameterCount;
    }

    @Override
    public int parameterCount() {
        return parameterCount;
    }

    private void check(Object[] params) throws DqliteException {
        if (closed) {
            throw DqliteException.misuse("statement is closed");
        }
        int n = params == null ? 0 : params.length;
        if (n != parameterCount) {
            throw DqliteException.misuse("statement takes " + parameterCount + " parameters, got " + n);
        }
    }

    @Override
    public ExecResult exec(Object... params) throws DqliteException {
        check(params);
        connection.ready();
        return connection.result(connection.transport().call(
                new Request.Exec(connection.dbId(), id, Params.of(params)), true));
    }

    @Override
    public Rows query(Object... params) throws DqliteException {
        check(params);
        connection.ready();
        return connection.query(new Request.Query(connection.dbId(), id, Params.of(params)), () -> exec(params));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (connection.isClosed()) {
            return;
        }
        try {
            connection.ready();
            connection.transport().call(new Request.Finalize(connection.dbId(), id), false);
        } catch (DqliteException e) {
            // the statement dies with its connection anyway
        }
    }
}
