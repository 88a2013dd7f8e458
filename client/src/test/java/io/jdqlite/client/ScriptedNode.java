package io.jdqlite.client;

import io.jdqlite.wire.MessageHeader;
import io.jdqlite.wire.Protocol;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A fake dqlite node on 127.0.0.1 for the protocol's corner cases: it leads (LEADER names itself), opens any
 * database (id 0), and answers every other request with what the test's script returns for it, possibly
 * several responses, or none (a node that never answers).
 */
public final class ScriptedNode implements AutoCloseable {
    private final ServerSocket server;
    private final Function<Request, List<Response>> script;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    /** Every request received after OPEN, in order. */
    public final List<Request> received = new CopyOnWriteArrayList<>();
    /** Connections that the client closed (or reset). */
    private final java.util.concurrent.atomic.AtomicInteger closedByClients = new java.util.concurrent.atomic.AtomicInteger();

    /** What LEADER answers; null: this node's own address. */
    private volatile String advertised;

    /** Null, or the raw bytes to answer with before hanging up. */
    private final Function<Request, byte[]> lastWords;

    /** On {@code port} (0: any free one). */
    public ScriptedNode(int port, Function<Request, List<Response>> script) throws IOException {
        this(port, script, null);
    }

    /**
     * A node that answers a request other than LEADER and OPEN with {@code bytes}, as they are, and then closes
     * the connection: a node that fails in the middle of an answer, or sends one no real node would.
     */
    static ScriptedNode hangingUp(int port, Function<Request, byte[]> bytes) throws IOException {
        return new ScriptedNode(port, r -> List.of(), bytes);
    }

    private ScriptedNode(int port, Function<Request, List<Response>> script, Function<Request, byte[]> lastWords)
            throws IOException {
        this.script = script;
        this.lastWords = lastWords;
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("127.0.0.1", port));
        Thread acceptor = new Thread(this::accept, "scripted-node-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Names itself {@code address} in LEADER answers (as a pod names itself by its DNS name). */
    ScriptedNode advertising(String address) {
        this.advertised = address;
        return this;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.add(s);
                Thread t = new Thread(() -> serve(s), "scripted-node-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            in.readFully(new byte[8]); // the protocol version
            while (true) {
                byte[] head = new byte[Protocol.HEADER_SIZE];
                in.readFully(head);
                MessageHeader header = MessageHeader.read(ByteBuffer.wrap(head), Protocol.DEFAULT_MAX_MESSAGE_SIZE);
                byte[] body = new byte[header.bodyLength()];
                in.readFully(body);
                Request r = Request.read(header, ByteBuffer.wrap(body));
                List<Response> answers;
                if (r instanceof Request.Leader) {
                    answers = List.of(new Response.Server(1, advertised != null ? advertised : address()));
                } else if (r instanceof Request.Open) {
                    answers = List.of(new Response.Db(0));
                } else {
                    received.add(r);
                    if (lastWords != null) {
                        out.write(lastWords.apply(r));
                        out.flush();
                        return;
                    }
                    answers = script.apply(r);
                }
                for (Response a : answers) {
                    out.write(a.toBytes());
                }
                out.flush();
            }
        } catch (IOException e) {
            if (!server.isClosed()) {
                closedByClients.incrementAndGet(); // the client went away
            }
        }
    }

    /** Whether clients closed every connection they opened here. */
    boolean allClientsGone() {
        return closedByClients.get() == connections.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : connections) {
            s.close();
        }
    }
}
