package io.jdqlite.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 8-byte header in front of every message: body length in 8-byte words (uint32), message type
 * (uint8), schema/revision (uint8) and a reserved uint16.
 */
public record MessageHeader(int bodyLength, int type, int schema, int extra) {
    /** The largest body a header can announce: its length is a uint32 count of 8-byte words. */
    public static final long MAX_BODY_LENGTH = 0xffffffffL * Protocol.WORD_SIZE;

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

    /**
     * The body length the header at {@code in}'s position announces, without any size limit (nothing moves):
     * for an answer read as a stream rather than held, which may exceed what an int counts.
     */
    public static long bodyLengthOf(ByteBuffer in) {
        checkHeader(in);
        return Integer.toUnsignedLong(in.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt()) * Protocol.WORD_SIZE;
    }

    /** The message type the header at {@code in}'s position announces (nothing moves). */
    public static int typeOf(ByteBuffer in) {
        checkHeader(in);
        return Byte.toUnsignedInt(in.get(in.position() + 4));
    }

    private static void checkHeader(ByteBuffer in) {
        if (in.remaining() < Protocol.HEADER_SIZE) {
            throw new ProtocolException("truncated message header: " + in.remaining() + " bytes");
        }
    }

    /**
     * The header of a message whose body is sent a piece at a time and may be larger than an int counts, up
     * to {@link #MAX_BODY_LENGTH} (a FILES answer streamed from disk).
     */
    public static byte[] encode(long bodyLength, int type, int schema) {
        if (bodyLength < 0 || bodyLength > MAX_BODY_LENGTH || bodyLength % Protocol.WORD_SIZE != 0) {
            throw new IllegalArgumentException("body length must be a multiple of 8 up to " + MAX_BODY_LENGTH + ": " + bodyLength);
        }
        if (type < 0 || type > 0xff || schema < 0 || schema > 0xff) {
            throw new IllegalArgumentException("header field out of range");
        }
        byte[] out = new byte[Protocol.HEADER_SIZE];
        write(ByteBuffer.wrap(out), bodyLength, type, schema, 0);
        return out;
    }

    public void write(ByteBuffer out) {
        write(out, bodyLength, type, schema, extra);
    }

    private static void write(ByteBuffer out, long bodyLength, int type, int schema, int extra) {
        out.order(ByteOrder.LITTLE_ENDIAN)
                .putInt((int) (bodyLength / Protocol.WORD_SIZE))
                .put((byte) type)
                .put((byte) schema)
                .putShort((short) extra);
    }
}
