package io.jdqlite.node.join;

import io.jdqlite.wire.HostPort;
import io.jdqlite.wire.MessageHeader;
import io.jdqlite.wire.Protocol;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;

/** One dqlite wire request on a fresh connection: what a node needs to ask a cluster to let it in. */
final class WireCall {
    private static final int MAX_REPLY = 1 << 20;

    private WireCall() {
    }

    static Response send(String address, Request request, Duration timeout) throws IOException {
        HostPort target;
        try {
            target = HostPort.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(target.host(), target.port()), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(Protocol.handshake(Protocol.VERSION));
            out.write(request.writeTo(new io.jdqlite.wire.MessageWriter()).toByteArray());
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] head = new byte[Protocol.HEADER_SIZE];
            in.readFully(head);
            MessageHeader header = MessageHeader.read(ByteBuffer.wrap(head), MAX_REPLY);
            byte[] body = new byte[header.bodyLength()];
            in.readFully(body);
            return Response.read(header, ByteBuffer.wrap(body));
        }
    }
}
