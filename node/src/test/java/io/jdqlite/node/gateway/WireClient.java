package io.jdqlite.node.gateway;

import io.jdqlite.wire.MessageHeader;
import io.jdqlite.wire.Protocol;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A raw-socket dqlite client for protocol tests: sends exact bytes, reads whole responses. */
final class WireClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    WireClient(int port) throws IOException {
        this(port, true);
    }

    WireClient(int port, boolean handshake) throws IOException {
        this(port, handshake, 0);
    }

    /** {@code receiveBuffer > 0} shrinks the TCP receive window (set before connecting). */
    WireClient(int port, boolean handshake, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        if (handshake) {
            sendRaw(Protocol.handshake(Protocol.VERSION));
        }
    }

    /**
     * A connection to the node on {@code port} with {@code db} open, once the node serves it (a node just
     * started may not lead yet); {@code receiveBuffer} as in the constructor.
     */
    static WireClient withDatabase(int port, String db, int receiveBuffer) throws IOException {
        WireClient c = new WireClient(port, true, receiveBuffer);
        Response r = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> c.call(new Request.Open(db, 0, "volatile")), x -> true);
        if (!r.equals(new Response.Db(0))) {
            c.close();
            throw new IOException("OPEN " + db + " answered " + r);
        }
        return c;
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(Request r) throws IOException {
        sendRaw(r.toBytes());
    }

    Response receive() throws IOException {
        return receive(Protocol.CLUSTER_FORMAT_V1);
    }

    Response receive(long clusterFormat) throws IOException {
        byte[] header = new byte[8];
        in.readFully(header);
        MessageHeader h = MessageHeader.read(ByteBuffer.wrap(header), Integer.MAX_VALUE);
        byte[] body = new byte[h.bodyLength()];
        in.readFully(body);
        return Response.read(h, ByteBuffer.wrap(body), clusterFormat);
    }

    /** The next {@code n} bytes the server sent, as they are. */
    byte[] receiveBytes(int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /** The next message as its bytes, whatever its size (header included). */
    byte[] receiveMessageBytes() throws IOException {
        byte[] header = receiveBytes(8);
        long length = MessageHeader.bodyLengthOf(ByteBuffer.wrap(header));
        byte[] message = java.util.Arrays.copyOf(header, Math.toIntExact(8 + length));
        in.readFully(message, 8, (int) length);
        return message;
    }

    Response call(Request r) throws IOException {
        send(r);
        return receive();
    }

    /** Every ROWS page of a query until ROWS_DONE (or the first non-ROWS response). */
    List<Response> pages(Request query) throws IOException {
        send(query);
        List<Response> pages = new ArrayList<>();
        while (true) {
            Response r = receive();
            pages.add(r);
            if (!(r instanceof Response.Rows rows) || rows.done()) {
                return pages;
            }
        }
    }

    /** True when the server closed the connection (reads end), after draining what it sent. */
    boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // drain
            }
            return true;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
