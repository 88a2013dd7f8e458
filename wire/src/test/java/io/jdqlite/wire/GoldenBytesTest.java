package io.jdqlite.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exact bytes of messages, laid out by hand from dqlite's src/request.h, src/response.h,
 * src/tuple.c, src/lib/serialize.h and go-dqlite's internal/protocol/message.go.
 */
class GoldenBytesTest {

    private static void assertBytes(byte[] actual, String expectedHex) {
        assertThat(Hex.of(actual)).isEqualTo(Hex.of(Hex.bytes(expectedHex)));
    }

    @Test
    void handshakeIsLittleEndianVersion() {
        assertBytes(Protocol.handshake(Protocol.VERSION), "0100000000000000");
        assertBytes(Protocol.handshake(Protocol.VERSION_LEGACY), "e53f4360d74d1086");
    }

    @Test
    void leaderRequest() {
        // header: 1 word, type 0, schema 0, reserved 0 | body: unused uint64
        assertBytes(new Request.Leader().toBytes(), "01000000 00 00 0000 | 0000000000000000");
    }

    @Test
    void openRequest() {
        assertBytes(new Request.Open("test", 0, "volatile").toBytes(),
                "04000000 03 00 0000"
                        + "7465737400000000"                       // "test\0" padded
                        + "0000000000000000"                       // flags
                        + "766f6c6174696c65 0000000000000000");    // "volatile\0" padded to 16
    }

    @Test
    void execSqlWithOneIntegerParameterUsesOneByteCount() {
        assertBytes(new Request.ExecSql(0, "SELECT ?", List.of(Value.integer(-2))).toBytes(),
                "05000000 08 00 0000"
                        + "0000000000000000"                       // db id
                        + "53454c454354203f 0000000000000000"      // "SELECT ?\0" padded to 16
                        + "0101000000000000"                       // count 1, type INTEGER, padding
                        + "feffffffffffffff");                     // -2
    }

    @Test
    void execSqlWithoutParametersHasNoTuple() {
        assertBytes(new Request.ExecSql(0, "x", List.of()).toBytes(),
                "02000000 08 00 0000 | 0000000000000000 | 7800000000000000");
    }

    @Test
    void paramsTupleOfSevenTypesFillsOneWord() {
        byte[] b = new Request.Exec(1, 2, List.of(Value.integer(1), Value.real(1.5), Value.text("a"),
                Value.blob(new byte[] {9}), Value.NULL, Value.iso8601("2020"), Value.bool(true))).toBytes();
        assertBytes(b, "0a000000 05 00 0000"
                + "01000000 02000000"                              // db id, stmt id (uint32 each)
                + "07 01 02 03 04 05 0a 0b"                        // count + 7 type codes: exactly one word
                + "0100000000000000"
                + "000000000000f83f"                               // 1.5
                + "6100000000000000"                               // "a"
                + "0100000000000000 0900000000000000"              // blob length 1, data padded
                + "0000000000000000"                               // NULL
                + "3230323000000000"                               // "2020"
                + "0100000000000000");                             // true
    }

    @Test
    void manyParametersUseSchemaOneWithFourByteCount() {
        List<Value> params = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            params.add(Value.NULL);
        }
        byte[] b = new Request.QuerySql(0, "q", params).toBytes();
        // header schema byte is 1
        assertThat(b[5]).isEqualTo((byte) 1);
        // after db id (8) and "q" (8): uint32 count 300 then 300 type bytes padded to 8 with the count
        assertThat(Hex.of(java.util.Arrays.copyOfRange(b, 24, 32))).isEqualTo("2c01000005050505");
        int headerWords = (int) ((300 + 4 + 7) / 8);
        assertThat(b.length).isEqualTo(8 + 16 + headerWords * 8 + 300 * 8);
        assertThat(Codec.request(b)).isEqualTo(new Request.QuerySql(0, "q", params));
    }

    @Test
    void assignRequestAndLegacyPromote() {
        assertBytes(new Request.Assign(3, 1).toBytes(),
                "02000000 0d 00 0000 | 0300000000000000 | 0100000000000000");
        // PROMOTE: same type, no role field -> voter
        assertThat(Codec.request(Hex.bytes("01000000 0d 00 0000 | 0300000000000000")))
                .isEqualTo(new Request.Assign(3, 0));
    }

    @Test
    void failureResponse() {
        assertBytes(new Response.Failure(1, "no such table: x").toBytes(),
                "04000000 00 00 0000 | 0100000000000000"
                        + "6e6f207375636820 7461626c653a2078 0000000000000000");
    }

    @Test
    void serverAndWelcomeAndDbAndResult() {
        assertBytes(new Response.Server(2, "127.0.0.1:9001").toBytes(),
                "03000000 01 00 0000 | 0200000000000000 | 3132372e302e302e 313a393030310000");
        assertBytes(new Response.Welcome(15000).toBytes(), "01000000 02 00 0000 | 983a000000000000");
        assertBytes(new Response.Db(0).toBytes(), "01000000 04 00 0000 | 00000000 00000000");
        assertBytes(new Response.Result(7, 1).toBytes(),
                "02000000 06 00 0000 | 0700000000000000 | 0100000000000000");
    }

    @Test
    void stmtSchemasDifferByTailOffset() {
        assertBytes(new Response.Stmt(0, 3, 2).toBytes(),
                "02000000 05 00 0000 | 00000000 03000000 | 0200000000000000");
        assertBytes(new Response.StmtWithOffset(0, 3, 2, 17).toBytes(),
                "03000000 05 01 0000 | 00000000 03000000 | 0200000000000000 | 1100000000000000");
    }

    @Test
    void serversInBothFormats() {
        List<Response.ServerInfo> servers = List.of(new Response.ServerInfo(1, "a:1", 0),
                new Response.ServerInfo(2, "b:2", 2));
        assertBytes(new Response.Servers(servers, 0).toBytes(),
                "05000000 03 00 0000 | 0200000000000000"
                        + "0100000000000000 613a310000000000"
                        + "0200000000000000 623a320000000000");
        assertBytes(new Response.Servers(servers, 1).toBytes(),
                "07000000 03 00 0000 | 0200000000000000"
                        + "0100000000000000 613a310000000000 0000000000000000"
                        + "0200000000000000 623a320000000000 0200000000000000");
    }

    @Test
    void rowsWithNibbleTypeHeaderAndDoneMarker() {
        Response.Rows rows = new Response.Rows(List.of("a", "b", "c"),
                List.of(List.of(Value.integer(1), Value.text("x"), Value.unixTime(5))), true);
        assertBytes(rows.toBytes(),
                "09000000 07 00 0000 | 0300000000000000"
                        + "6100000000000000 6200000000000000 6300000000000000"
                        + "3109000000000000"                       // types: 1 | 3<<4, 9, padding
                        + "0100000000000000 7800000000000000 0500000000000000"
                        + "ffffffffffffffff");
    }

    @Test
    void rowsPartMarker() {
        assertBytes(new Response.Rows(List.of("a"), List.of(), false).toBytes(),
                "03000000 07 00 0000 | 0100000000000000 | 6100000000000000 | eeeeeeeeeeeeeeee");
    }

    @Test
    void filesAndMetadataAndEmpty() {
        assertBytes(new Response.Files(List.of(new Response.FileEntry("db", new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
                        new Response.FileEntry("db-wal", new byte[0]))).toBytes(),
                "06000000 09 00 0000 | 0200000000000000"
                        + "6462000000000000 0800000000000000 0102030405060708"
                        + "6462 2d77616c 0000 0000000000000000");
        assertBytes(new Response.Metadata(3, 42).toBytes(),
                "02000000 0a 00 0000 | 0300000000000000 | 2a00000000000000");
        assertBytes(new Response.Empty().toBytes(), "01000000 08 00 0000 | 0000000000000000");
    }
}
