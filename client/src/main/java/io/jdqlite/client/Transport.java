package io.jdqlite.client;

import io.jdqlite.wire.ErrorCodes;
import io.jdqlite.wire.HostPort;
import io.jdqlite.wire.MessageHeader;
import io.jdqlite.wire.MessageWriter;
import io.jdqlite.wire.Protocol;
import io.jdqlite.wire.ProtocolException;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import io.jdqlite.wire.ResponseType;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One blocking connection to one node: handshake, then requests and responses in order, used by one thread at
 * a time, except for {@link #interrupt}, which another thread calls to stop the statement in flight.
 *
 * <p>Every request sent opens an exchange that its last response closes (a query's last ROWS page). An
 * interrupted exchange goes on up to the EMPTY that acknowledges the INTERRUPT ({@link AfterInterrupt}), read
 * by whoever reads next: the user, or {@link #interrupt} itself when the user is not reading (between two
 * pages of a result, say), which then hands the outcome to the user's next {@link #receive}. So no answer of an
 * interrupted request is ever left to be taken for the answer of the next one.
 */
final class Transport implements AutoCloseable {
    private final String address;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final MessageWriter writer = new MessageWriter();
    private final Duration defaultReplyTimeout;
    private final Duration interruptTimeout;
    /** The largest reply read (ClientConfig.maxMessageSize). */
    private final int maxMessageSize;
    /** Taken to write a message: the user's requests, and INTERRUPT from another thread. */
    private final ReentrantLock writing = new ReentrantLock();
    /** Taken to read: fair, so that an interrupt waiting for the user's read to end gets it right after. */
    private final ReentrantLock reading = new ReentrantLock(true);
    private volatile boolean broken;
    /** The connection was closed because the node did not confirm an interrupt in time. */
    private volatile boolean closedByInterrupt;

    // The exchange in flight, guarded by this.
    /** Requests sent so far: identifies the exchange an interrupt is for. */
    private long exchange;
    /** Its last response has not been read yet. */
    private boolean answering;
    /** It runs a statement (EXEC, QUERY), which INTERRUPT applies to. */
    private boolean statement;
    /** It may write: if the connection fails before its answer, the write's outcome is unknown. */
    private boolean write;
    private boolean interruptSent;
    /** The end of an interrupted exchange, read by {@link #interrupt} for the user: a Response or a DqliteException. */
    private Object handedOver;

    private Transport(String address, Socket socket, ClientConfig config) throws IOException {
        this.address = address;
        this.socket = socket;
        this.defaultReplyTimeout = config.requestTimeout();
        this.interruptTimeout = config.interruptTimeout();
        this.maxMessageSize = config.maxMessageSize();
        this.in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /**
     * Connects to {@code address}. Interrupting the calling thread ends the attempt within a quarter second
     * with SQLITE_INTERRUPT (a blocked socket connect does not notice an interrupt by itself: an address that
     * drops packets would hold the caller for the whole connect timeout).
     */
    static Transport connect(String address, ClientConfig config) throws DqliteException {
        String dialed = dialed(address, config);
        HostPort hp = HostPort.parse(dialed);
        Thread caller = Thread.currentThread();
        if (caller.isInterrupted()) {
            throw DqliteException.interrupted(false, "stopped connecting to " + address, null);
        }
        Socket s = null;
        ScheduledFuture<?> watch = null;
        try {
            s = config.sslContext() != null ? config.sslContext().getSocketFactory().createSocket() : new Socket();
            s.setTcpNoDelay(true);
            Socket connecting = s;
            watch = Watchdog.every(Duration.ofMillis(AWAIT_STEP_MILLIS), () -> {
                if (caller.isInterrupted()) {
                    closeQuietly(connecting);
                }
            });
            s.connect(new InetSocketAddress(hp.host(), hp.port()), (int) config.connectTimeout().toMillis());
            watch.cancel(false);
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.requestTimeout().toMillis()));
            Transport t = new Transport(address, s, config);
            t.out.write(Protocol.handshake(Protocol.VERSION));
            t.out.flush();
            return t;
        } catch (IOException e) {
            closeQuietly(s);
            if (caller.isInterrupted()) { // the watch closed the socket
                throw DqliteException.interrupted(false, "stopped connecting to " + address, e);
            }
            String as = dialed.equals(address) ? "" : " (dialed as " + dialed + ")";
            throw DqliteException.connection("cannot connect to " + address + as + ": " + e.getMessage(), false, e);
        } finally {
            if (watch != null) {
                watch.cancel(false);
            }
        }
    }

    /** Where to dial {@code address}: through the configured translator, checked. */
    private static String dialed(String address, ClientConfig config) throws DqliteException {
        String dialed = config.addressTranslator().apply(address);
        if (dialed == null) {
            throw DqliteException.misuse("the address translator gave no address for " + address);
        }
        try {
            return HostPort.check(dialed);
        } catch (IllegalArgumentException e) {
            throw DqliteException.misuse("the address translator gave a bad address for " + address + ": " + e.getMessage());
        }
    }

    String address() {
        return address;
    }

    boolean isBroken() {
        return broken;
    }

    /**
     * Sends a request and reads its (first) response. A FAILURE becomes a DqliteException; a broken
     * connection too, marked outcome-unknown when {@code write} (the request may have run).
     */
    Response call(Request request, boolean write) throws DqliteException {
        send(request, write);
        return receive();
    }

    void send(Request request, boolean write) throws DqliteException {
        ensureUsable();
        writing.lock();
        try {
            writer.clear();
            request.writeTo(writer);
            synchronized (this) {
                exchange++;
                answering = true;
                statement = isStatement(request);
                this.write = write;
                interruptSent = false;
                handedOver = null;
            }
            out.write(writer.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw fail("sending to " + address + " failed: " + describe(e), write, e);
        } finally {
            writing.unlock();
        }
    }

    private static boolean isStatement(Request r) {
        return r instanceof Request.ExecSql || r instanceof Request.QuerySql || r instanceof Request.Exec
                || r instanceof Request.Query;
    }

    /** Reads the next response of the request in flight (the next page of a result, say). */
    Response receive() throws DqliteException {
        return receive(maxMessageSize);
    }

    /**
     * Reads the next response, refusing one larger than {@code maxBytes} (header included) with SQLITE_TOOBIG
     * before reading its body; the connection is then closed, as the rest of that answer is still on the way.
     */
    Response receive(int maxBytes) throws DqliteException {
        reading.lock();
        try {
            Object outcome = takeHandedOver();
            if (outcome != null) {
                return deliver(outcome);
            }
            Response r = read(maxBytes);
            boolean last = !(r instanceof Response.Rows rows && !rows.done());
            synchronized (this) {
                if (!interruptSent) {
                    if (last) {
                        answering = false;
                    }
                    if (r instanceof Response.Failure f) {
                        throw DqliteException.server(f.code(), f.message());
                    }
                    return r;
                }
            }
            return deliver(finishInterrupted(r));
        } finally {
            reading.unlock();
        }
    }

    private synchronized Object takeHandedOver() {
        Object o = handedOver;
        handedOver = null;
        return o;
    }

    private static Response deliver(Object outcome) throws DqliteException {
        if (outcome instanceof DqliteException e) {
            throw e;
        }
        return (Response) outcome;
    }

    /**
     * Asks the node to stop the statement in flight (INTERRUPT) and waits, at most the interrupt timeout, for
     * the exchange to end; when it does not, the connection is closed. False when no statement was in flight.
     */
    boolean interrupt(long dbId) {
        long interrupted;
        synchronized (this) {
            if (broken || !answering || !statement || interruptSent) {
                return false;
            }
            interruptSent = true;
            interrupted = exchange;
        }
        // Closes the connection at the deadline if the exchange has not ended: unblocks any read or write.
        ScheduledFuture<?> deadline = Watchdog.after(interruptTimeout, () -> giveUp(interrupted));
        try {
            sendInterrupt(dbId);
            awaitEnd(interrupted);
        } finally {
            if (ended(interrupted)) {
                deadline.cancel(false);
            }
        }
        return true;
    }

    private void sendInterrupt(long dbId) {
        writing.lock();
        try {
            writer.clear();
            new Request.Interrupt(dbId).writeTo(writer);
            out.write(writer.toByteArray());
            out.flush();
        } catch (IOException e) {
            close(); // whoever reads the exchange hears that it was interrupted and the connection closed
        } finally {
            writing.unlock();
        }
    }

    /** Waits for the user to read the interrupted exchange to its end, or reads it here if the user is not reading. */
    private void awaitEnd(long interrupted) {
        try {
            if (!reading.tryLock(interruptTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                giveUp(interrupted); // the user is still reading it
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the deadline still applies
            return;
        }
        try {
            if (ended(interrupted)) {
                return; // the user read it to its end, or heard that the connection failed
            }
            Object outcome;
            try {
                outcome = finishInterrupted(read());
            } catch (DqliteException e) {
                outcome = e;
            }
            synchronized (this) {
                handedOver = outcome;
            }
        } finally {
            reading.unlock();
        }
    }

    /** Whether the interrupted exchange is over: read to its end, or the connection is gone. */
    private synchronized boolean ended(long interrupted) {
        return exchange != interrupted || !interruptSent || broken;
    }

    private void giveUp(long interrupted) {
        if (ended(interrupted)) {
            return;
        }
        closedByInterrupt = true;
        close();
    }

    /**
     * Reads an interrupted exchange from {@code first} to its end; returns what its user gets: the RESULT of an
     * exec that completed all the same, or the error. Closes the connection when what follows is unknown.
     */
    private Object finishInterrupted(Response first) throws DqliteException {
        AfterInterrupt rest = new AfterInterrupt();
        Response r = first;
        try {
            while (rest.accept(r)) {
                r = read();
            }
        } catch (DqliteException e) {
            if (rest.result() == null) {
                throw e;
            }
            close(); // the exec completed; only its acknowledgement was lost
        }
        synchronized (this) {
            answering = false;
            interruptSent = false;
        }
        if (!rest.connectionUsable()) {
            close();
        }
        return rest.result() != null ? rest.result() : rest.error(mayHaveWritten());
    }

    /** Reads one message; a broken connection becomes an error (an interrupted statement's, if an interrupt is under way). */
    private Response read() throws DqliteException {
        return read(maxMessageSize);
    }

    private Response read(int maxBytes) throws DqliteException {
        String problem;
        Exception cause = null;
        boolean unknown = mayHaveWritten();
        if (broken || socket.isClosed()) {
            problem = "connection to " + address + " is closed";
            unknown = false; // whoever closed it heard why
        } else {
            try {
                byte[] head = new byte[Protocol.HEADER_SIZE];
                in.readFully(head);
                MessageHeader header = MessageHeader.read(ByteBuffer.wrap(head), maxBytes);
                byte[] body = new byte[header.bodyLength()];
                in.readFully(body);
                return Response.read(header, ByteBuffer.wrap(body));
            } catch (IOException e) {
                problem = problem(e);
                cause = e;
            } catch (ProtocolException e) {
                if (e.code() == ErrorCodes.SQLITE_TOOBIG && !interruptPending()) {
                    // Not a connection failure to retry (the same answer would come again), but the rest of it
                    // is still on the way: the connection cannot be used any more.
                    close();
                    throw DqliteException.server(ErrorCodes.SQLITE_TOOBIG, "the reply from " + address + " is too big: "
                            + e.getMessage() + (maxBytes == maxMessageSize
                            ? " (the client's maxMessageSize: ClientConfig, or the JDBC URL's maxMessageSize=)" : ""));
                }
                problem = "malformed reply from " + address + ": " + e.getMessage();
                cause = e;
            }
            close();
        }
        synchronized (this) {
            if (!interruptSent) {
                throw DqliteException.connection(problem, unknown, cause);
            }
        }
        String why = closedByInterrupt
                ? "the node did not confirm within " + interruptTimeout.toMillis() + " ms, so the connection was closed"
                : problem;
        throw DqliteException.interrupted(mayHaveWritten(), why, cause);
    }

    /**
     * Reads the next response when it may be too large to hold (a DUMP's FILES): of {@code type}, only its header
     * is read, and its body length returned, the body being left to {@link #body()}; any other response is read
     * whole as by {@link #receive()}, so a FAILURE becomes its DqliteException.
     */
    long receiveStreamed(ResponseType type) throws DqliteException {
        reading.lock();
        try {
            byte[] head = new byte[Protocol.HEADER_SIZE];
            try {
                in.mark(head.length);
                in.readFully(head);
            } catch (IOException e) {
                throw fail(problem(e), false, e);
            }
            ByteBuffer header = ByteBuffer.wrap(head);
            if (MessageHeader.typeOf(header) == type.code()) {
                synchronized (this) {
                    answering = false;
                }
                return MessageHeader.bodyLengthOf(header);
            }
            try {
                in.reset();
            } catch (IOException e) {
                throw fail(problem(e), false, e);
            }
            throw LeaderConnection.unexpected(receive());
        } finally {
            reading.unlock();
        }
    }

    /** How often a wait for an answer to start ({@link #awaitAnswer}) or a connect looks at the thread's interrupt flag. */
    private static final long AWAIT_STEP_MILLIS = 250;

    /**
     * Waits up to {@code timeout} for the next answer to start arriving, reading nothing of it. Unlike a read
     * (a blocked socket read ignores {@link Thread#interrupt()}), the wait ends within a fraction of a second
     * once the calling thread is interrupted: with SQLITE_INTERRUPT, and the connection closed, as its answer
     * may still come.
     */
    void awaitAnswer(Duration timeout) throws DqliteException {
        reading.lock();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw fail("no reply from " + address + " within " + timeout.toSeconds() + " s", false, null);
                }
                socket.setSoTimeout((int) Math.min(AWAIT_STEP_MILLIS, left));
                try {
                    in.mark(1);
                    if (in.read() < 0) {
                        throw fail("connection to " + address + " failed: the node closed the connection", false, null);
                    }
                    in.reset();
                    return;
                } catch (SocketTimeoutException e) {
                    if (Thread.interrupted()) {
                        close();
                        throw DqliteException.interrupted(false, "stopped waiting for " + address + " to answer", null);
                    }
                }
            }
        } catch (IOException e) {
            throw fail(problem(e), false, e);
        } finally {
            restoreReplyTimeout();
            reading.unlock();
        }
    }

    private void restoreReplyTimeout() {
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, defaultReplyTimeout.toMillis())));
        } catch (IOException ignored) {
            // the socket is closed or broken: the next read says so
        }
    }

    /** The body announced by {@link #receiveStreamed}; its read failures are told with {@link #problem}. */
    InputStream body() {
        return in;
    }

    /** What a failed read says about the connection. */
    String problem(IOException e) {
        return e instanceof SocketTimeoutException ? "no reply from " + address + " within the request timeout"
                : "connection to " + address + " failed: " + describe(e);
    }

    private synchronized boolean interruptPending() {
        return interruptSent;
    }

    private synchronized boolean mayHaveWritten() {
        return write;
    }

    private static String describe(IOException e) {
        if (e instanceof java.io.EOFException) {
            return "the node closed the connection";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** How long a reply may take from now on; null restores the client's request timeout. */
    void replyTimeout(Duration timeout) throws DqliteException {
        Duration t = timeout == null ? defaultReplyTimeout : timeout;
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, t.toMillis())));
        } catch (IOException e) {
            throw fail("connection to " + address + " failed: " + describe(e), false, e);
        }
    }

    private void ensureUsable() throws DqliteException {
        if (broken || socket.isClosed()) {
            throw DqliteException.connection("connection to " + address + " is closed", false, null);
        }
    }

    private DqliteException fail(String message, boolean write, Exception cause) {
        broken = true;
        closeQuietly(socket);
        return DqliteException.connection(message, write, cause);
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // discarding the socket
            }
        }
    }

    @Override
    public void close() {
        broken = true;
        closeQuietly(socket);
    }

    /** For tests of framing. */
    InputStream rawInput() {
        return in;
    }
}
