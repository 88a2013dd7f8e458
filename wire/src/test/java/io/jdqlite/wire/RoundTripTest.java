package io.jdqlite.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RoundTripTest {
    static final List<Value> EVERY_TYPE = List.of(Value.integer(Long.MIN_VALUE), Value.integer(Long.MAX_VALUE),
            Value.real(-0.0), Value.real(Double.NaN), Value.text("héllo ✓ 𝄞"), Value.text(""),
            Value.blob(new byte[] {0, 1, 2}), Value.blob(new byte[0]), Value.NULL, Value.unixTime(-1),
            Value.iso8601("2024-01-02 03:04:05"), Value.bool(true), Value.bool(false));

    static Stream<Request> requests() {
        return Stream.of(new Request.Leader(), new Request.Client(42), new Request.Heartbeat(123456789),
                new Request.Open("my-db", 6, "volatile"), new Request.Prepare(0, "SELECT 1"),
                new Request.Prepare(0, "SELECT 1; SELECT 2", 1),
                new Request.Exec(0, 7, List.of()), new Request.Exec(0, 0xffffffffL, EVERY_TYPE),
                new Request.Query(0, 7, EVERY_TYPE), new Request.Finalize(0, 7),
                new Request.ExecSql(0, "INSERT INTO t VALUES (?)", EVERY_TYPE),
                new Request.QuerySql(0, "SELECT ?", List.of(Value.text("x"))),
                new Request.Interrupt(0), new Request.Add(4, "127.0.0.1:9004"), new Request.Assign(4, 2),
                new Request.Remove(4), new Request.Dump("my-db"), new Request.Cluster(0), new Request.Cluster(1),
                new Request.Transfer(0), new Request.Describe(0), new Request.Weight(-1));
    }

    static Stream<Response> responses() {
        return Stream.of(new Response.Failure(2067, "UNIQUE constraint failed: t.x"),
                new Response.Server(0, ""), new Response.Server(-1, "host:1"), new Response.Welcome(15000),
                new Response.Db(0), new Response.Stmt(0, 1, 3), new Response.StmtWithOffset(0, 1, 3, 9),
                new Response.Result(-5, 100),
                new Response.Rows(List.of("c"), List.of(), true),
                new Response.Rows(List.of(), List.of(), false),
                new Response.Rows(nColumns(13), List.of(EVERY_TYPE, EVERY_TYPE), true),
                new Response.Rows(List.of("a", "b"), List.of(List.of(Value.NULL, Value.blob(new byte[9]))), false),
                new Response.Empty(),
                new Response.Files(List.of(new Response.FileEntry("x", new byte[4096]),
                        new Response.FileEntry("x-wal", new byte[] {1, 2, 3}))),
                new Response.Files(List.of()), new Response.Metadata(1, 2),
                new Response.Servers(List.of(new Response.ServerInfo(1, "a:1", 0), new Response.ServerInfo(2, "b:2", 1)), 1));
    }

    private static List<String> nColumns(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "c" + i).toList();
    }

    @ParameterizedTest
    @MethodSource("requests")
    void requestRoundTrips(Request request) {
        byte[] bytes = request.toBytes();
        assertThat(bytes.length % 8).isZero();
        assertThat(Codec.request(bytes)).isEqualTo(request);
    }

    @ParameterizedTest
    @MethodSource("responses")
    void responseRoundTrips(Response response) {
        byte[] bytes = response.toBytes();
        assertThat(bytes.length % 8).isZero();
        assertThat(Codec.response(bytes)).isEqualTo(response);
    }

    @Test
    void serversFormatZeroDecodesWithoutRoles() {
        Response.Servers s = new Response.Servers(List.of(new Response.ServerInfo(9, "h:1", 0)), 0);
        assertThat(Codec.response(s.toBytes(), 0)).isEqualTo(s);
    }

    @Test
    void severalMessagesInOneWriter() {
        MessageWriter w = new MessageWriter(16);
        new Request.Client(1).writeTo(w);
        new Request.Open("db", 0, "").writeTo(w);
        ByteBuffer in = w.buffer();
        MessageHeader h1 = MessageHeader.read(in, 1024);
        assertThat(Request.read(h1, in)).isEqualTo(new Request.Client(1));
        in.position(in.position() + h1.bodyLength());
        MessageHeader h2 = MessageHeader.read(in, 1024);
        assertThat(Request.read(h2, in)).isEqualTo(new Request.Open("db", 0, ""));
    }

    @Test
    void unknownTypesAndSchemasAreProtocolErrors() {
        assertThatThrownBy(() -> Codec.request(Hex.bytes("01000000 63 00 0000 0000000000000000")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("unrecognized request type 99");
        assertThatThrownBy(() -> Codec.request(Hex.bytes("01000000 0b 00 0000 0000000000000000")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("CONNECT");
        assertThatThrownBy(() -> Codec.request(Hex.bytes("01000000 10 05 0000 0000000000000000")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("schema");
        assertThatThrownBy(() -> Codec.request(Hex.bytes("02000000 08 02 0000 0000000000000000 7800000000000000")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("schema");
        assertThatThrownBy(() -> Codec.response(Hex.bytes("01000000 20 00 0000 0000000000000000")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("unrecognized response type");
    }

    @Test
    void oversizedHeaderIsRejectedBeforeReadingTheBody() {
        assertThatThrownBy(() -> MessageHeader.read(ByteBuffer.wrap(Hex.bytes("ffffffff 03 00 0000")), 1 << 20))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("exceeds the limit")
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCodes.SQLITE_TOOBIG);
    }

    @Test
    void hugeAnnouncedCountsFailWithoutAllocating() {
        // ROWS claiming 2^40 columns; SERVERS claiming 2^62 members; a blob claiming 2^62 bytes
        assertThatThrownBy(() -> Codec.response(Hex.bytes("02000000 07 00 0000 0000000000010000 ffffffffffffffff")))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Codec.response(Hex.bytes("01000000 03 00 0000 0000000000000040")))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Codec.request(Hex.bytes(
                "04000000 08 00 0000 0000000000000000 7800000000000000 0104000000000000 0000000000000040")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("blob");
        // params schema 1 announcing 4 billion parameters
        assertThatThrownBy(() -> Codec.request(Hex.bytes(
                "03000000 08 01 0000 0000000000000000 7800000000000000 ffffffff00000000")))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void invalidUtf8AndMissingNulAreProtocolErrors() {
        assertThatThrownBy(() -> Codec.request(Hex.bytes("01000000 0f 00 0000 c328000000000000")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> Codec.request(Hex.bytes("01000000 0f 00 0000 6161616161616161")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("NUL");
    }

    @Test
    void writerRejectsNulInText() {
        assertThatThrownBy(() -> new Request.ExecSql(0, "a\0b", List.of()).toBytes())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
