package io.jdqlite.jdbc;

import io.jdqlite.client.DqliteConnection;
import io.jdqlite.client.DqliteException;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A statement's query timeout (Statement.setQueryTimeout). At the deadline the node is asked to stop the
 * statement (INTERRUPT), so that the connection, and the transaction on it, go on; the statement fails with
 * SQLTimeoutException. A node that does not confirm within the client's interrupt timeout loses the connection
 * (the socket's read timeout is the deadline plus that). A node stops queries, not writes: an exec goes on to
 * its end and returns its result.
 */
final class QueryTimeout {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private QueryTimeout() {
    }

    interface Request<T> {
        T on(DqliteConnection c) throws DqliteException;
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "jdqlite-jdbc-query-timeout");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true); // most statements end in time: their deadlines do not pile up
        return t;
    }

    /** Runs {@code request} on {@code c} within {@code timeout}; null runs it with the client's request timeout. */
    static <T> T run(DqliteConnection c, Request<T> request, Duration timeout, Duration interruptTimeout) throws SQLException {
        if (timeout == null) {
            return request.on(c);
        }
        Deadline deadline = new Deadline(c);
        ScheduledFuture<?> timer = TIMER.schedule(deadline::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        c.requestTimeout(timeout.plus(interruptTimeout));
        try {
            return request.on(c);
        } catch (DqliteException e) {
            boolean stopped = deadline.expired() && DqliteException.STATE_CANCELED.equals(e.getSQLState());
            if (stopped || e.getCause() instanceof SocketTimeoutException) {
                throw new SQLTimeoutException("query timeout of " + timeout.toSeconds() + " s expired: " + e.getMessage(),
                        e.getSQLState(), e.getErrorCode(), e);
            }
            throw e;
        } finally {
            deadline.disarm(); // after this, the deadline interrupts nothing: not the connection's next request
            timer.cancel(false);
            if (!c.isClosed()) {
                c.requestTimeout(null);
            }
        }
    }

    /** Interrupts the statement at the deadline unless it ended first. */
    private static final class Deadline {
        private final DqliteConnection connection;
        private boolean armed = true;
        private volatile boolean expired;

        Deadline(DqliteConnection connection) {
            this.connection = connection;
        }

        /**
         * Holds the monitor while interrupting, so that {@link #disarm} (the statement's thread, once its request
         * ended) waits for the interrupt to be over before the connection takes another request.
         */
        synchronized void expire() {
            if (armed) {
                expired = true;
                connection.interrupt();
            }
        }

        synchronized void disarm() {
            armed = false;
        }

        boolean expired() {
            return expired;
        }
    }
}
