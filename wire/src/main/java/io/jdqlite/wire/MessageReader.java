package io.jdqlite.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the fields of one message body. Every read is checked against the bytes left, so malformed
 * input ends in a {@link ProtocolException}, and nothing is allocated beyond the body's own size.
 */
public final class MessageReader {
    private final ByteBuffer buf;

    /** Reads {@code body} from its position to its limit (the caller's buffer is not moved). */
    public MessageReader(ByteBuffer body) {
        this.buf = body.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    public int remaining() {
        return buf.remaining();
    }

    public boolean hasRemaining() {
        return buf.hasRemaining();
    }

    private void need(long n, String what) {
        if (n > buf.remaining()) {
            throw new ProtocolException("truncated message: " + what + " needs " + n + " bytes, "
                    + buf.remaining() + " left");
        }
    }

    public int getUint8() {
        need(1, "uint8");
        return Byte.toUnsignedInt(buf.get());
    }

    public long getUint32() {
        need(4, "uint32");
        return Integer.toUnsignedLong(buf.getInt());
    }

    /** A uint64 as Java's (signed) long, bit for bit. */
    public long getUint64() {
        need(8, "uint64");
        return buf.getLong();
    }

    public long getInt64() {
        return getUint64();
    }

    public double getDouble() {
        need(8, "float");
        return buf.getDouble();
    }

    /** The next uint64 without consuming it. */
    public long peekUint64() {
        need(8, "uint64");
        return buf.getLong(buf.position());
    }

    /** A NUL-terminated UTF-8 string padded to 8 bytes. */
    public String getText() {
        int start = buf.position();
        int end = -1;
        for (int i = start; i < buf.limit(); i++) {
            if (buf.get(i) == 0) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new ProtocolException("truncated message: text without NUL terminator");
        }
        long padded = Protocol.pad(end - start + 1L);
        need(padded, "text");
        ByteBuffer bytes = buf.duplicate().position(start).limit(end);
        String s;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            s = chars.toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("text is not valid UTF-8");
        }
        buf.position(start + (int) padded);
        return s;
    }

    /** A uint64 length, then that many bytes padded to 8. */
    public byte[] getBlob() {
        long len = getUint64();
        if (len < 0 || len > buf.remaining() || Protocol.pad(len) > buf.remaining()) {
            throw new ProtocolException("truncated message: blob of " + Long.toUnsignedString(len)
                    + " bytes, " + buf.remaining() + " left");
        }
        byte[] b = new byte[(int) len];
        buf.get(b);
        skip((int) (Protocol.pad(len) - len));
        return b;
    }

    /** Raw bytes, then padding to 8 (used by FILES). */
    public byte[] getBytes(long len) {
        if (len < 0 || len > buf.remaining() || Protocol.pad(len) > buf.remaining()) {
            throw new ProtocolException("truncated message: " + Long.toUnsignedString(len) + " bytes, "
                    + buf.remaining() + " left");
        }
        byte[] b = new byte[(int) len];
        buf.get(b);
        skip((int) (Protocol.pad(len) - len));
        return b;
    }

    private void skip(int n) {
        need(n, "padding");
        buf.position(buf.position() + n);
    }

    /** Skips to the next multiple of 8 from the start of the body. */
    private void align() {
        skip((int) (Protocol.pad(buf.position()) - buf.position()));
    }

    /**
     * A count that announces {@code count} items of at least {@code minItemBytes} each: rejected
     * when the rest of the body cannot hold them, so the caller may size collections by it.
     */
    public int checkedCount(long count, int minItemBytes, String what) {
        if (count < 0 || count > buf.remaining() / Math.max(1, minItemBytes)) {
            throw new ProtocolException("malformed message: " + Long.toUnsignedString(count) + " " + what
                    + " cannot fit in " + buf.remaining() + " bytes");
        }
        return (int) count;
    }

    /**
     * A parameter tuple of {@code schema} (0: 1-byte count, 1: 4-byte count). An empty remainder is
     * an empty tuple, as dqlite reads it.
     */
    public List<Value> getParams(int schema) {
        if (!buf.hasRemaining()) {
            return List.of();
        }
        long n;
        int countSize;
        if (schema == Protocol.PARAMS_SCHEMA_V0) {
            n = getUint8();
            countSize = 1;
        } else if (schema == Protocol.PARAMS_SCHEMA_V1) {
            n = getUint32();
            countSize = 4;
        } else {
            throw new ProtocolException(ErrorCodes.SQLITE_ERROR, "unrecognized schema version " + schema);
        }
        long headerSize = Protocol.pad(n + countSize) - countSize;
        need(headerSize, "parameter types");
        // each parameter takes at least one type byte and one 8-byte value
        int count = checkedCount(n, 1, "parameters");
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = getUint8();
        }
        align();
        checkedCount(n, 8, "parameter values");
        List<Value> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(getValue(ValueType.fromCode(types[i])));
        }
        return values;
    }

    /** A row tuple of {@code columns} values (4-bit type codes, then values). */
    public List<Value> getRow(int columns) {
        long headerSize = Protocol.pad((columns + 1L) / 2);
        need(headerSize, "row header");
        int[] types = new int[columns];
        int start = buf.position();
        for (int i = 0; i < columns; i++) {
            int b = Byte.toUnsignedInt(buf.get(start + i / 2));
            types[i] = (i % 2 == 0) ? (b & 0x0f) : (b >> 4);
        }
        buf.position(start + (int) headerSize);
        checkedCount(columns, 8, "row values");
        List<Value> values = new ArrayList<>(columns);
        for (int i = 0; i < columns; i++) {
            values.add(getValue(ValueType.fromCode(types[i])));
        }
        return values;
    }

    private Value getValue(ValueType type) {
        return switch (type) {
            case INTEGER -> Value.integer(getInt64());
            case FLOAT -> Value.real(getDouble());
            case TEXT -> Value.text(getText());
            case BLOB -> Value.blob(getBlob());
            case NULL -> {
                getUint64();
                yield Value.NULL;
            }
            case UNIXTIME -> Value.unixTime(getInt64());
            case ISO8601 -> Value.iso8601(getText());
            case BOOLEAN -> Value.bool(getUint64() != 0);
        };
    }
}
