package io.jdqlite.client;

import io.jdqlite.wire.ErrorCodes;
import io.jdqlite.wire.HostPort;
import io.jdqlite.wire.MessageHeader;
import io.jdqlite.wire.MessageWriter;
import io.jdqlite.wire.Protocol;
import io.jdqlite.wire.ProtocolException;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/** One blocking connection to one node: handshake, then requests and responses in order. */
final class Transport implements AutoCloseable {
    private final String address;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final MessageWriter writer = new MessageWriter();
    private final java.time.Duration defaultReplyTimeout;
    private boolean broken;

    private Transport(String address, Socket socket, java.time.Duration defaultReplyTimeout) throws IOException {
        this.address = address;
        this.socket = socket;
        this.defaultReplyTimeout = defaultReplyTimeout;
        this.in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    static Transport connect(String address, ClientConfig config) throws DqliteException {
        HostPort hp = HostPort.parse(address);
        Socket s = null;
        try {
            s = config.sslContext() != null ? config.sslContext().getSocketFactory().createSocket() : new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(hp.host(), hp.port()), (int) config.connectTimeout().toMillis());
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.requestTimeout().toMillis()));
            Transport t = new Transport(address, s, config.requestTimeout());
            t.out.write(Protocol.handshake(Protocol.VERSION));
            t.out.flush();
            return t;
        } catch (IOException e) {
            closeQuietly(s);
            throw DqliteException.connection("cannot connect to " + address + ": " + e.getMessage(), false, e);
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
        return receive(write);
    }

    void send(Request request, boolean write) throws DqliteException {
        ensureUsable();
        try {
            writer.clear();
            request.writeTo(writer);
            out.write(writer.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw fail("sending to " + address + " failed: " + describe(e), write, e);
        }
    }

    /** Reads the next response (the next page of a result, say). */
    Response receive(boolean write) throws DqliteException {
        return receive(write, Protocol.DEFAULT_MAX_MESSAGE_SIZE);
    }

    /**
     * Reads the next response, refusing one larger than {@code maxBytes} (header included) with SQLITE_TOOBIG
     * before reading its body (the connection is then closed: the rest of it is still on the way).
     */
    Response receive(boolean write, int maxBytes) throws DqliteException {
        ensureUsable();
        try {
            byte[] head = new byte[Protocol.HEADER_SIZE];
            in.readFully(head);
            MessageHeader header = MessageHeader.read(ByteBuffer.wrap(head), maxBytes);
            byte[] body = new byte[header.bodyLength()];
            in.readFully(body);
            Response r = Response.read(header, ByteBuffer.wrap(body));
            if (r instanceof Response.Failure f) {
                throw DqliteException.server(f.code(), f.message());
            }
            return r;
        } catch (SocketTimeoutException e) {
            throw fail("no reply from " + address + " within the request timeout", write, e);
        } catch (IOException e) {
            throw fail("connection to " + address + " failed: " + describe(e), write, e);
        } catch (ProtocolException e) {
            if (e.code() == ErrorCodes.SQLITE_TOOBIG) {
                // Not a connection failure (retrying would fetch the same answer again), but the rest of it
                // is still on the way: the connection cannot be used any more.
                fail(e.getMessage(), write, e);
                throw DqliteException.server(ErrorCodes.SQLITE_TOOBIG, "the reply from " + address + " is too big: " + e.getMessage());
            }
            throw fail("malformed reply from " + address + ": " + e.getMessage(), write, e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.io.EOFException) {
            return "the node closed the connection";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** How long a reply may take from now on; null restores the client's request timeout. */
    void replyTimeout(java.time.Duration timeout) throws DqliteException {
        java.time.Duration t = timeout == null ? defaultReplyTimeout : timeout;
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
