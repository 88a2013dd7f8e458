package io.jdqlite.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 8-byte header in front of every message: body length in 8-byte words (uint32), message type
 * (uint8), schema/revision (uint8) and a reserved uint16.
 */
public record MessageHeader(int bodyLength, int type, int schema, int extra) {
    public MessageHeader {
        if (bodyLength < 0 || bodyLength % Protocol.WORD_SIZE != 0) {
            throw new IllegalArgumentException("body length must be a non-negative multiple of 8: " + bodyLength);
        }
        if (type < 0 || type > 0xff || schema < 0 || schema > 0xff || extra < 0 || extra > 0xffff) {
            throw new IllegalArgumentException("header field out of range");
        }
    }

    /**
     * Reads a header from the next 8 bytes of {@code in} and checks that its body fits {@code maxMessageSize}
     * (header included) before anyone allocates for it.
     */
    public static MessageHeader read(ByteBuffer in, int maxMessageSize) {
        if (in.remaining() < Protocol.HEADER_SIZE) {
            throw new ProtocolException("truncated message header: " + in.remaining() + " bytes");
        }
        ByteBuffer le = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long words = Integer.toUnsignedLong(le.getInt());
        int type = Byte.toUnsignedInt(le.get());
        int schema = Byte.toUnsignedInt(le.get());
        int extra = Short.toUnsignedInt(le.getShort());
        in.position(in.position() + Protocol.HEADER_SIZE);
        long length = words * Protocol.WORD_SIZE;
        if (length + Protocol.HEADER_SIZE > maxMessageSize) {
            throw new ProtocolException(ErrorCodes.SQLITE_TOOBIG,
                    "message body of " + length + " bytes exceeds the limit of " + maxMessageSize + " bytes");
        }
        return new MessageHeader((int) length, type, schema, extra);
    }

    public void write(ByteBuffer out) {
        out.order(ByteOrder.LITTLE_ENDIAN)
                .putInt(bodyLength / Protocol.WORD_SIZE)
                .put((byte) type)
                .put((byte) schema)
                .putShort((short) extra);
    }
}
