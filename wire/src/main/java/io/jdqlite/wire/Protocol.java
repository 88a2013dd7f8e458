package io.jdqlite.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Constants of the dqlite client protocol, version 1, and the handshake word. */
public final class Protocol {
    /** The protocol version a client sends first, as an 8-byte little-endian word. */
    public static final long VERSION = 1;
    /** The pre-1.0 protocol version; recognised only to be refused. */
    public static final long VERSION_LEGACY = 0x86104dd760433fe5L;
    /** Size of the handshake, the message header and of one body word. */
    public static final int WORD_SIZE = 8;
    public static final int HEADER_SIZE = 8;
    /** Last word of a ROWS response when more ROWS responses follow. */
    public static final long ROWS_PART = 0xeeeeeeeeeeeeeeeeL;
    /** Last word of the final ROWS response of a result set. */
    public static final long ROWS_DONE = 0xffffffffffffffffL;
    /** CLUSTER request formats: ids and addresses, or ids, addresses and roles. */
    public static final int CLUSTER_FORMAT_V0 = 0;
    public static final int CLUSTER_FORMAT_V1 = 1;
    /** DESCRIBE request format: failure domain and weight. */
    public static final int DESCRIBE_FORMAT_V0 = 0;
    /** EXEC/QUERY/EXEC_SQL/QUERY_SQL schemas: 1-byte or 4-byte parameter count. */
    public static final int PARAMS_SCHEMA_V0 = 0;
    public static final int PARAMS_SCHEMA_V1 = 1;
    /** PREPARE/STMT schemas: single statement, or any number with the tail offset in the response. */
    public static final int PREPARE_SCHEMA_V0 = 0;
    public static final int PREPARE_SCHEMA_V1 = 1;
    /** A generous default for the largest accepted message (64 MiB). */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;

    private Protocol() {
    }

    /** The 8 handshake bytes a client sends for {@code version}. */
    public static byte[] handshake(long version) {
        return ByteBuffer.allocate(WORD_SIZE).order(ByteOrder.LITTLE_ENDIAN).putLong(version).array();
    }

    /** Reads the handshake word; the caller compares it to {@link #VERSION} / {@link #VERSION_LEGACY}. */
    public static long readHandshake(ByteBuffer in) {
        if (in.remaining() < WORD_SIZE) {
            throw new ProtocolException("handshake needs 8 bytes, got " + in.remaining());
        }
        return in.order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** Rounds {@code n} up to a multiple of 8. */
    static long pad(long n) {
        return (n + 7) & ~7L;
    }
}
