package io.jdqlite.wire;

import java.nio.ByteBuffer;

/** Test helpers decoding a whole message (header and body) from bytes. */
final class Codec {
    static final int LIMIT = 1 << 20;

    private Codec() {
    }

    static Request request(byte[] message) {
        ByteBuffer in = ByteBuffer.wrap(message);
        MessageHeader h = MessageHeader.read(in, LIMIT);
        return Request.read(h, in);
    }

    static Response response(byte[] message) {
        return response(message, Protocol.CLUSTER_FORMAT_V1);
    }

    static Response response(byte[] message, long clusterFormat) {
        ByteBuffer in = ByteBuffer.wrap(message);
        MessageHeader h = MessageHeader.read(in, LIMIT);
        return Response.read(h, in, clusterFormat);
    }
}
