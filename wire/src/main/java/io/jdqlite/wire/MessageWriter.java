package io.jdqlite.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds one or more messages into a growable buffer: {@link #begin} reserves the header,
 * the put methods append body fields, {@link #end} pads the body and fills in the header.
 */
public final class MessageWriter {
    private static final int MAX_BODY = (int) Math.min(Integer.MAX_VALUE - 16L, 0xffffffffL * Protocol.WORD_SIZE) & ~7;

    private ByteBuffer buf;
    private int messageStart = -1;
    private int type;
    private int schema;

    public MessageWriter() {
        this(256);
    }

    public MessageWriter(int initialCapacity) {
        buf = ByteBuffer.allocate(Math.max(16, initialCapacity)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Starts a message of {@code type} and {@code schema}. */
    public MessageWriter begin(int type, int schema) {
        if (messageStart >= 0) {
            throw new IllegalStateException("previous message not ended");
        }
        this.type = type;
        this.schema = schema;
        ensure(Protocol.HEADER_SIZE);
        messageStart = buf.position();
        buf.putLong(0);
        return this;
    }

    /** Pads the body to 8 bytes and writes the header; returns the body length. */
    public int end() {
        checkOpen();
        padToWord();
        int bodyLength = bodyLength();
        new MessageHeader(bodyLength, type, schema, 0).write(buf.duplicate().position(messageStart));
        messageStart = -1;
        return bodyLength;
    }

    /** Bytes written so far into the open message's body. */
    public int bodyLength() {
        checkOpen();
        return buf.position() - messageStart - Protocol.HEADER_SIZE;
    }

    /** Total bytes written (all messages). */
    public int size() {
        return buf.position();
    }

    /** A copy of everything written. */
    public byte[] toByteArray() {
        byte[] out = new byte[buf.position()];
        buf.duplicate().flip().get(out);
        return out;
    }

    /** A read-only view of everything written, valid until the next write or {@link #clear()}. */
    public ByteBuffer buffer() {
        return buf.duplicate().flip().asReadOnlyBuffer();
    }

    /** Forgets everything written, keeping the allocated capacity. */
    public void clear() {
        buf.clear();
        messageStart = -1;
    }

    public MessageWriter putUint8(int v) {
        ensure(1);
        buf.put((byte) v);
        return this;
    }

    public MessageWriter putUint32(long v) {
        ensure(4);
        buf.putInt((int) v);
        return this;
    }

    public MessageWriter putUint64(long v) {
        ensure(8);
        buf.putLong(v);
        return this;
    }

    public MessageWriter putInt64(long v) {
        return putUint64(v);
    }

    public MessageWriter putDouble(double v) {
        ensure(8);
        buf.putDouble(v);
        return this;
    }

    /** A NUL-terminated UTF-8 string padded to 8; {@code s} must not contain NUL. */
    public MessageWriter putText(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            if (b == 0) {
                throw new IllegalArgumentException("text must not contain NUL characters");
            }
        }
        int padded = (int) Protocol.pad(bytes.length + 1L);
        ensure(padded);
        buf.put(bytes);
        putZeros(padded - bytes.length);
        return this;
    }

    public MessageWriter putBlob(byte[] b) {
        putUint64(b.length);
        return putBytes(b);
    }

    /** Raw bytes padded to 8 (used by FILES). */
    public MessageWriter putBytes(byte[] b) {
        int padded = (int) Protocol.pad(b.length);
        ensure(padded);
        buf.put(b);
        putZeros(padded - b.length);
        return this;
    }

    /**
     * A parameter tuple in {@code schema} ({@link Protocol#PARAMS_SCHEMA_V0}: at most 255 values).
     * An empty tuple writes nothing, as dqlite clients do.
     */
    public MessageWriter putParams(List<Value> params, int schema) {
        if (params.isEmpty()) {
            return this;
        }
        int countSize;
        if (schema == Protocol.PARAMS_SCHEMA_V0) {
            if (params.size() > 255) {
                throw new IllegalArgumentException("schema 0 holds at most 255 parameters");
            }
            putUint8(params.size());
            countSize = 1;
        } else if (schema == Protocol.PARAMS_SCHEMA_V1) {
            putUint32(params.size());
            countSize = 4;
        } else {
            throw new IllegalArgumentException("unknown params schema " + schema);
        }
        for (Value v : params) {
            putUint8(v.type().code());
        }
        putZeros((int) (Protocol.pad(params.size() + (long) countSize) - params.size() - countSize));
        for (Value v : params) {
            putValue(v);
        }
        return this;
    }

    /** A row tuple: 4-bit type codes padded to 8, then the values. */
    public MessageWriter putRow(List<Value> row) {
        int headerSize = (int) Protocol.pad((row.size() + 1L) / 2);
        ensure(headerSize);
        int start = buf.position();
        putZeros(headerSize);
        for (int i = 0; i < row.size(); i++) {
            int code = row.get(i).type().code();
            int at = start + i / 2;
            buf.put(at, (byte) (i % 2 == 0 ? code : (buf.get(at) | code << 4)));
        }
        for (Value v : row) {
            putValue(v);
        }
        return this;
    }

    private void putValue(Value v) {
        switch (v.type()) {
            case INTEGER, UNIXTIME -> putInt64((Long) v.value());
            case FLOAT -> putDouble((Double) v.value());
            case TEXT, ISO8601 -> putText((String) v.value());
            case BLOB -> putBlob((byte[]) v.value());
            case NULL -> putUint64(0);
            case BOOLEAN -> putUint64(((Boolean) v.value()) ? 1 : 0);
        }
    }

    private void padToWord() {
        putZeros((int) (Protocol.pad(bodyLength()) - bodyLength()));
    }

    private void putZeros(int n) {
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf.put((byte) 0);
        }
    }

    private void checkOpen() {
        if (messageStart < 0) {
            throw new IllegalStateException("no message begun");
        }
    }

    private void ensure(int n) {
        if (buf.remaining() >= n) {
            return;
        }
        long needed = (long) buf.position() + n;
        if (needed > MAX_BODY) {
            throw new IllegalArgumentException("message too large: " + needed + " bytes");
        }
        long cap = Math.max(needed, Math.min((long) MAX_BODY, buf.capacity() * 2L));
        ByteBuffer bigger = ByteBuffer.allocate((int) cap).order(ByteOrder.LITTLE_ENDIAN);
        buf.flip();
        bigger.put(buf);
        buf = bigger;
    }
}
