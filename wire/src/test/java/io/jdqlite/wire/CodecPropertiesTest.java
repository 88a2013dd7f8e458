package io.jdqlite.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Random, truncated and corrupted input never escapes as anything but a {@link ProtocolException}. */
class CodecPropertiesTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Property(tries = 2000)
    void garbageBodiesOfEveryTypeOnlyRaiseProtocolException(@ForAll @IntRange(min = 0, max = 40) int type,
            @ForAll @IntRange(min = 0, max = 3) int schema, @ForAll @Size(max = 25) List<Long> words) {
        ByteBuffer body = ByteBuffer.allocate(words.size() * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        words.forEach(body::putLong);
        byte[] b = body.array();
        MessageHeader h = new MessageHeader(b.length, type, schema, 0);
        assertBounded(b.length, () -> Request.read(h, ByteBuffer.wrap(b)));
        assertBounded(b.length, () -> Response.read(h, ByteBuffer.wrap(b)));
        assertBounded(b.length, () -> Response.read(h, ByteBuffer.wrap(b), 0));
    }

    @Property(tries = 2000)
    void garbageBytesAsWholeMessages(@ForAll @Size(max = 300) byte[] bytes) {
        assertBounded(bytes.length, () -> Codec.request(bytes));
        assertBounded(bytes.length, () -> Codec.response(bytes));
    }

    @Property(tries = 500)
    void truncatedRequestsFailCleanly(@ForAll("requests") Request request, @ForAll @IntRange(min = 1, max = 10_000) int cut) {
        byte[] full = request.toBytes();
        byte[] truncated = Arrays.copyOf(full, Math.max(0, full.length - 1 - cut % full.length));
        Throwable t = catchThrowable(() -> Codec.request(truncated));
        assertThat(t).isInstanceOf(ProtocolException.class);
    }

    @Property(tries = 500)
    void truncatedBodiesWithConsistentHeaderFailOrDecodeSafely(@ForAll("requests") Request request,
            @ForAll @IntRange(min = 0, max = 10_000) int keepWords) {
        byte[] full = request.toBytes();
        int bodyWords = (full.length - 8) / 8;
        int words = keepWords % (bodyWords + 1);
        byte[] body = Arrays.copyOfRange(full, 8, 8 + words * 8);
        MessageHeader h = new MessageHeader(body.length, full[4], full[5], 0);
        assertBounded(body.length, () -> Request.read(h, ByteBuffer.wrap(body)));
    }

    @Property(tries = 500)
    void flippedBytesOnlyRaiseProtocolException(@ForAll("rows") Response.Rows rows,
            @ForAll @IntRange(min = 0, max = 100_000) int at, @ForAll byte value) {
        byte[] b = rows.toBytes();
        int i = 8 + at % Math.max(1, b.length - 8);
        if (i < b.length) {
            b[i] = value;
        }
        assertBounded(b.length, () -> Codec.response(b));
    }

    @Property(tries = 300)
    void rowsRoundTrip(@ForAll("rows") Response.Rows rows) {
        assertThat(Codec.response(rows.toBytes())).isEqualTo(rows);
    }

    @Property(tries = 300)
    void paramsRoundTrip(@ForAll("values") List<Value> params) {
        Request.QuerySql q = new Request.QuerySql(0, "SELECT 1", params);
        assertThat(Codec.request(q.toBytes())).isEqualTo(q);
    }

    @Property(tries = 200)
    void headerLimitIsEnforced(@ForAll @IntRange(min = 0) int words, @ForAll @IntRange(min = 8, max = 1 << 20) int limit) {
        byte[] header = new byte[8];
        ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(words);
        long size = (long) words * 8 + 8;
        if (size > limit) {
            assertThatThrownBy(() -> MessageHeader.read(ByteBuffer.wrap(header), limit))
                    .isInstanceOf(ProtocolException.class);
        } else {
            assertThat(MessageHeader.read(ByteBuffer.wrap(header), limit).bodyLength()).isEqualTo(words * 8);
        }
    }

    /** Found by the flipped-bytes property: a length whose padding overflows a long. */
    @net.jqwik.api.Example
    void blobLengthNearLongMaxIsRefused() {
        for (long len : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 3, -1L, 1L << 40}) {
            ByteBuffer body = ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            body.putLong(len).putLong(0).putLong(0).flip();
            assertThatThrownBy(() -> new MessageReader(body).getBlob()).isInstanceOf(ProtocolException.class);
            assertThatThrownBy(() -> new MessageReader(body).getBytes(len)).isInstanceOf(ProtocolException.class);
        }
    }

    /**
     * Runs a decode that may fail only with ProtocolException and checks that it allocated at most
     * a bounded multiple of the input (never what a length field claims).
     */
    private static void assertBounded(int inputSize, Runnable decode) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            decode.run();
        } catch (ProtocolException expected) {
            // the one allowed failure
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).isLessThan(64L * inputSize + 256 * 1024);
    }

    @Provide
    Arbitrary<Value> value() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(Value::integer),
                Arbitraries.doubles().map(Value::real),
                Arbitraries.strings().ofMaxLength(20).excludeChars('\0').map(Value::text),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(Value::blob),
                Arbitraries.just(Value.NULL),
                Arbitraries.longs().map(Value::unixTime),
                Arbitraries.strings().ofMaxLength(20).excludeChars('\0').map(Value::iso8601),
                Arbitraries.of(true, false).map(Value::bool));
    }

    @Provide
    Arbitrary<List<Value>> values() {
        return value().list().ofMaxSize(300);
    }

    @Provide
    Arbitrary<Response.Rows> rows() {
        return Arbitraries.integers().between(1, 20).flatMap(cols -> Combinators.combine(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).list().ofSize(cols),
                value().list().ofSize(cols).list().ofMaxSize(5),
                Arbitraries.of(true, false)).as(Response.Rows::new));
    }

    @Provide
    Arbitrary<Request> requests() {
        return Arbitraries.oneOf(
                values().map(v -> new Request.ExecSql(0, "INSERT INTO t VALUES (?)", v)),
                values().map(v -> new Request.Query(0, 1, v)),
                Arbitraries.strings().ofMaxLength(30).excludeChars('\0').map(s -> new Request.Open(s, 0, "volatile")),
                Arbitraries.longs().map(Request.Client::new),
                Arbitraries.strings().ofMaxLength(30).excludeChars('\0').map(s -> new Request.Add(1, s)));
    }
}
