package io.jdqlite.client;

/** A prepared statement on the connection that prepared it. */
public interface Statement extends AutoCloseable {
    int parameterCount();

    ExecResult exec(Object... params) throws DqliteException;

    Rows query(Object... params) throws DqliteException;

    /** Finalizes the statement on the server. */
    @Override
    void close();
}
