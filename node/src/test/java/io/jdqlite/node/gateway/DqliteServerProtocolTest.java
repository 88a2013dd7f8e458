package io.jdqlite.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jdqlite.wire.ErrorCodes;
import io.jdqlite.wire.MessageWriter;
import io.jdqlite.wire.Protocol;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import io.jdqlite.wire.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives a DqliteServer in front of a real single-node engine with raw sockets. */
class DqliteServerProtocolTest {
    private static final int BASE_PORT = 21100;
    private static final AtomicInteger DB = new AtomicInteger();

    @TempDir
    static Path dir;
    static InProcessCluster cluster;
    static int port;

    @BeforeAll
    static void start() throws IOException {
        cluster = new InProcessCluster(dir, 1, BASE_PORT, 1 << 20, RowsPager.DEFAULT_PAGE_BYTES);
        port = cluster.port(0);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void onLinuxTheClientPortRunsOnNettysNativeEpollTransport() {
        // The native library ships in the node's jar for x86-64 Linux; elsewhere NIO serves the port.
        boolean linuxX64 = System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64");
        assertThat(cluster.server(0).transport()).isEqualTo(linuxX64 ? "epoll" : "nio");
    }

    /** A connection with a freshly opened database of its own. */
    private static WireClient openNewDb() throws IOException {
        WireClient c = new WireClient(port);
        Response r = await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> c.call(new Request.Open("db" + DB.incrementAndGet(), 0, "volatile")), x -> true);
        assertThat(r).isEqualTo(new Response.Db(0));
        return c;
    }

    private static Response.Failure failure(Response r) {
        assertThat(r).isInstanceOf(Response.Failure.class);
        return (Response.Failure) r;
    }

    @Test
    void leaderClientClusterDescribeWeight() throws IOException {
        try (WireClient c = new WireClient(port)) {
            assertThat(c.call(new Request.Leader())).isEqualTo(new Response.Server(1, "127.0.0.1:" + (BASE_PORT + 1)));
            assertThat(c.call(new Request.Client(77))).isEqualTo(new Response.Welcome(15_000));
            c.send(new Request.Cluster(0));
            assertThat(c.receive(0)).isEqualTo(new Response.Servers(
                    List.of(new Response.ServerInfo(1, "127.0.0.1:" + (BASE_PORT + 1), 0)), 0));
            assertThat(c.call(new Request.Cluster(1))).isEqualTo(new Response.Servers(
                    List.of(new Response.ServerInfo(1, "127.0.0.1:" + (BASE_PORT + 1), 0)), 1));
            assertThat(failure(c.call(new Request.Cluster(2))).message()).contains("cluster format");
            assertThat(c.call(new Request.Describe(0))).isEqualTo(new Response.Metadata(0, 0));
            assertThat(c.call(new Request.Weight(7))).isEqualTo(new Response.Empty());
            assertThat(c.call(new Request.Describe(0))).isEqualTo(new Response.Metadata(0, 7));
            assertThat(failure(c.call(new Request.Describe(3))).code()).isEqualTo(ErrorCodes.SQLITE_PROTOCOL);
            assertThat(NodeMetadata.persistent(dir.resolve("node1").resolve("meta.properties"), 5, 5).weight())
                    .isEqualTo(7);
            assertThat(failure(c.call(new Request.Heartbeat(1))).code()).isEqualTo(ErrorCodes.DQLITE_PARSE);
        }
    }

    @Test
    void preparedStatementsLifecycle() throws IOException {
        try (WireClient c = openNewDb()) {
            assertThat(failure(c.call(new Request.Open("other", 0, "volatile"))).code()).isEqualTo(ErrorCodes.SQLITE_BUSY);
            assertThat(c.call(new Request.ExecSql(0, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", List.of())))
                    .isInstanceOf(Response.Result.class);
            Response.Stmt insert = (Response.Stmt) c.call(new Request.Prepare(0, "INSERT INTO t (v) VALUES (?)"));
            assertThat(insert.paramCount()).isEqualTo(1);
            assertThat(c.call(new Request.Exec(0, insert.stmtId(), List.of(Value.text("a")))))
                    .isEqualTo(new Response.Result(1, 1));
            assertThat(c.call(new Request.Exec(0, insert.stmtId(), List.of(Value.text("b")))))
                    .isEqualTo(new Response.Result(2, 1));
            Response.Stmt select = (Response.Stmt) c.call(new Request.Prepare(0, "SELECT id, v FROM t WHERE id >= ?"));
            assertThat(c.call(new Request.Query(0, select.stmtId(), List.of(Value.integer(2)))))
                    .isEqualTo(new Response.Rows(List.of("id", "v"), List.of(List.of(Value.integer(2), Value.text("b"))), true));
            assertThat(c.call(new Request.Finalize(0, insert.stmtId()))).isEqualTo(new Response.Empty());
            assertThat(c.call(new Request.Finalize(0, insert.stmtId()))).isInstanceOf(Response.Failure.class);
            assertThat(c.call(new Request.Exec(0, insert.stmtId(), List.of(Value.text("c")))))
                    .isInstanceOf(Response.Failure.class);
            assertThat(failure(c.call(new Request.ExecSql(1, "SELECT 1", List.of()))).code()).isEqualTo(ErrorCodes.SQLITE_NOTFOUND);
            Response.StmtWithOffset v1 = (Response.StmtWithOffset) c.call(new Request.Prepare(0, "SELECT 1", 1));
            assertThat(v1.tailOffset()).isEqualTo(8);
            // Several statements: the offset (in UTF-8 bytes) is where the unprepared rest starts.
            Response.StmtWithOffset first = (Response.StmtWithOffset) c.call(new Request.Prepare(0, "SELECT 'é'; SELECT 2", 1));
            assertThat(first.tailOffset()).isEqualTo(12);
            Response.StmtWithOffset trigger = (Response.StmtWithOffset) c.call(new Request.Prepare(0,
                    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END; SELECT 3", 1));
            assertThat(trigger.tailOffset()).isEqualTo("CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;".length());
        }
    }

    @Test
    void everyValueTypeAndDqliteTypeMapping() throws IOException {
        try (WireClient c = openNewDb()) {
            c.call(new Request.ExecSql(0, "CREATE TABLE t (i INTEGER, f REAL, s TEXT, b BLOB, n, d DATETIME, ts TIMESTAMP, "
                    + "flag BOOLEAN, dn DATE)", List.of()));
            List<Value> params = List.of(Value.integer(Long.MIN_VALUE), Value.real(-1.25), Value.text("héllo ✓ 𝄞"),
                    Value.blob(new byte[] {0, 1, (byte) 255}), Value.NULL, Value.unixTime(1_700_000_000L),
                    Value.iso8601("2024-05-06 07:08:09"), Value.bool(true), Value.NULL);
            assertThat(c.call(new Request.ExecSql(0, "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", params)))
                    .isEqualTo(new Response.Result(1, 1));
            Response.Rows rows = (Response.Rows) c.call(new Request.QuerySql(0, "SELECT * FROM t", List.of()));
            assertThat(rows.rows()).containsExactly(List.of(Value.integer(Long.MIN_VALUE), Value.real(-1.25),
                    Value.text("héllo ✓ 𝄞"), Value.blob(new byte[] {0, 1, (byte) 255}), Value.NULL,
                    Value.unixTime(1_700_000_000L), Value.iso8601("2024-05-06 07:08:09"), Value.bool(true),
                    Value.iso8601("")));
            Response.Rows expr = (Response.Rows) c.call(new Request.QuerySql(0, "SELECT 1 + ?, NULL", List.of(Value.integer(1))));
            assertThat(expr.rows()).containsExactly(List.of(Value.integer(2), Value.NULL));
        }
    }

    @Test
    void largeResultsArePagedAtAboutFourKiB() throws IOException {
        try (WireClient c = openNewDb()) {
            c.call(new Request.ExecSql(0, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", List.of()));
            c.call(new Request.ExecSql(0, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000) "
                    + "INSERT INTO t (v) SELECT printf('%0100d', x) FROM n", List.of()));
            List<Response> pages = c.pages(new Request.QuerySql(0, "SELECT id, v FROM t ORDER BY id", List.of()));
            assertThat(pages.size()).isGreaterThan(50);
            List<List<Value>> all = new ArrayList<>();
            for (int i = 0; i < pages.size(); i++) {
                Response.Rows page = (Response.Rows) pages.get(i);
                assertThat(page.done()).isEqualTo(i == pages.size() - 1);
                assertThat(page.columns()).containsExactly("id", "v");
                assertThat(page.toBytes().length).isLessThan(RowsPager.DEFAULT_PAGE_BYTES + 200);
                all.addAll(page.rows());
            }
            assertThat(all).hasSize(3000);
            assertThat(all.get(2999)).containsExactly(Value.integer(3000), Value.text(String.format("%0100d", 3000)));
        }
    }

    @Test
    void aSingleHugeRowIsOnePage() throws IOException {
        try (WireClient c = openNewDb()) {
            List<Response> pages = c.pages(new Request.QuerySql(0, "SELECT printf('%0500000d', 7)", List.of()));
            assertThat(pages).hasSize(1);
            Response.Rows rows = (Response.Rows) pages.get(0);
            assertThat(rows.done()).isTrue();
            assertThat((String) rows.rows().get(0).get(0).value()).hasSize(500_000).endsWith("7");
            assertThat(c.call(new Request.ExecSql(0, "SELECT 1", List.of()))).isInstanceOf(Response.Result.class);
        }
    }

    @Test
    void interruptStopsPagingAndTheConnectionGoesOn() throws IOException {
        try (WireClient setup = openNewDb()) {
            setup.call(new Request.ExecSql(0, "CREATE TABLE t (v TEXT)", List.of()));
            setup.call(new Request.ExecSql(0, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 20000) "
                    + "INSERT INTO t SELECT printf('%0500d', x) FROM n", List.of()));
        }
        // A small receive window keeps most of the 10 MB result on the server when INTERRUPT arrives. The
        // client then reads as fast as pages come: the node must still read the INTERRUPT between pages (it
        // used to send the whole result in one go while the channel stayed writable).
        try (WireClient c = new WireClient(port, true, 4096)) {
            assertThat(c.call(new Request.Open("db" + DB.get(), 0, "volatile"))).isEqualTo(new Response.Db(0));
            c.send(new Request.QuerySql(0, "SELECT v FROM t", List.of()));
            Response first = c.receive();
            assertThat(first).isInstanceOfSatisfying(Response.Rows.class, r -> assertThat(r.done()).isFalse());
            c.send(new Request.Interrupt(0));
            int rowsAfter = 0;
            Response r;
            while (!((r = c.receive()) instanceof Response.Empty)) {
                assertThat(r).isInstanceOf(Response.Rows.class);
                rowsAfter += ((Response.Rows) r).rows().size();
            }
            assertThat(rowsAfter).isLessThan(20000 - ((Response.Rows) first).rows().size());
            assertThat(c.call(new Request.QuerySql(0, "SELECT count(*) FROM t", List.of())))
                    .isEqualTo(new Response.Rows(List.of("count(*)"), List.of(List.of(Value.integer(20000))), true));
            // INTERRUPT with nothing running is simply acknowledged
            assertThat(c.call(new Request.Interrupt(0))).isEqualTo(new Response.Empty());
        }
    }

    @Test
    void interruptStopsAQueryStillBeingComputed() throws IOException {
        try (WireClient c = openNewDb()) {
            c.call(new Request.ExecSql(0, "CREATE TABLE n (v)", List.of())); // a committed snapshot to read from
            // Minutes of work before the first row: only an interrupt of the engine ends it sooner.
            c.send(new Request.QuerySql(0, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    + "WHERE i < 10000000000) SELECT count(*) FROM n", List.of()));
            c.send(new Request.Interrupt(0));
            assertThat(c.receive()).isEqualTo(new Response.Empty());
            assertThat(c.call(new Request.QuerySql(0, "SELECT 1", List.of())))
                    .isEqualTo(new Response.Rows(List.of("1"), List.of(List.of(Value.integer(1))), true));
        }
    }

    @Test
    void sqlErrorsBecomeFailures() throws IOException {
        try (WireClient c = new WireClient(port)) {
            assertThat(failure(c.call(new Request.ExecSql(0, "SELECT 1", List.of()))).code()).isEqualTo(ErrorCodes.SQLITE_NOTFOUND);
        }
        try (WireClient c = openNewDb()) {
            Response.Failure syntax = failure(c.call(new Request.ExecSql(0, "CREATE TABL x", List.of())));
            assertThat(syntax.code() & 0xff).isEqualTo(ErrorCodes.SQLITE_ERROR);
            assertThat(syntax.message()).containsIgnoringCase("syntax error");
            c.call(new Request.ExecSql(0, "CREATE TABLE u (x UNIQUE)", List.of()));
            c.call(new Request.ExecSql(0, "INSERT INTO u VALUES (1)", List.of()));
            Response.Failure unique = failure(c.call(new Request.ExecSql(0, "INSERT INTO u VALUES (1)", List.of())));
            assertThat(unique.code() & 0xff).isEqualTo(ErrorCodes.SQLITE_CONSTRAINT);
            assertThat(unique.message()).contains("UNIQUE");
            assertThat(failure(c.call(new Request.QuerySql(0, "SELECT * FROM missing", List.of()))).message()).contains("missing");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (WireClient c = openNewDb()) {
            MessageWriter w = new MessageWriter();
            new Request.ExecSql(0, "CREATE TABLE p (x)", List.of()).writeTo(w);
            for (int i = 0; i < 20; i++) {
                new Request.ExecSql(0, "INSERT INTO p VALUES (?)", List.of(Value.integer(i))).writeTo(w);
            }
            new Request.QuerySql(0, "SELECT count(*), sum(x) FROM p", List.of()).writeTo(w);
            new Request.Leader().writeTo(w);
            c.sendRaw(w.toByteArray());
            assertThat(c.receive()).isInstanceOf(Response.Result.class);
            for (int i = 0; i < 20; i++) {
                assertThat(c.receive()).isEqualTo(new Response.Result(i + 1, 1));
            }
            assertThat(c.receive()).isEqualTo(new Response.Rows(List.of("count(*)", "sum(x)"),
                    List.of(List.of(Value.integer(20), Value.integer(190))), true));
            assertThat(c.receive()).isInstanceOf(Response.Server.class);
        }
    }

    @Test
    void dumpReturnsDatabaseAndWal() throws IOException {
        try (WireClient c = openNewDb()) {
            c.call(new Request.ExecSql(0, "CREATE TABLE d (x); INSERT INTO d VALUES (42)", List.of()));
            String name = "db" + DB.get();
            Response.Files files = (Response.Files) await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> c.call(new Request.Dump(name)), r -> r instanceof Response.Files);
            assertThat(files.files()).hasSize(2);
            assertThat(files.files().get(0).name()).isEqualTo(name);
            assertThat(new String(files.files().get(0).content(), 0, 15, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("SQLite format 3");
            assertThat(files.files().get(1).name()).isEqualTo(name + "-wal");
        }
    }

    @Test
    void badInputGetsFailuresOrClosesAndTheServerGoesOn() throws IOException {
        // unknown type: FAILURE, connection stays usable
        try (WireClient c = new WireClient(port)) {
            c.sendRaw(bytes("01000000 63 00 0000 0000000000000000"));
            assertThat(failure(c.receive()).message()).contains("unrecognized request type 99");
            // malformed body: OPEN whose name has no NUL terminator
            c.sendRaw(bytes("01000000 03 00 0000 6161616161616161"));
            assertThat(failure(c.receive()).code()).isEqualTo(ErrorCodes.DQLITE_PARSE);
            // CONNECT is internal to C dqlite nodes
            c.sendRaw(bytes("01000000 0b 00 0000 0000000000000000"));
            assertThat(c.receive()).isInstanceOf(Response.Failure.class);
            assertThat(c.call(new Request.Leader())).isInstanceOf(Response.Server.class);
        }
        // legacy handshake: a FAILURE saying why, then close
        try (WireClient c = new WireClient(port, false)) {
            c.sendRaw(Protocol.handshake(Protocol.VERSION_LEGACY));
            assertThat(failure(c.receive()).message()).contains("legacy");
            assertThat(c.closedByServer()).isTrue();
        }
        // garbage instead of a handshake
        try (WireClient c = new WireClient(port, false)) {
            c.sendRaw("GET / HTTP/1.1\r\n\r\n".getBytes());
            assertThat(failure(c.receive()).message()).contains("unknown protocol version");
            assertThat(c.closedByServer()).isTrue();
        }
        // a message larger than the limit (1 MiB here): skipped, never held, and refused in its turn with the
        // setting to raise; the connection goes on
        try (WireClient c = new WireClient(port)) {
            c.sendRaw(bytes("00002000 08 00 0000")); // 2^21 words = 16 MiB
            for (int i = 0; i < 16; i++) {
                c.sendRaw(new byte[1 << 20]);
            }
            Response.Failure tooBig = failure(c.receive());
            assertThat(tooBig.code()).isEqualTo(ErrorCodes.SQLITE_TOOBIG);
            assertThat(tooBig.message()).contains("jdqlite.max-message-size");
            assertThat(c.call(new Request.Leader())).isInstanceOf(Response.Server.class);
        }
        // a truncated message, then the client goes away
        try (WireClient c = new WireClient(port)) {
            c.sendRaw(bytes("04000000 03 00 0000 7465"));
        }
        // random garbage after a valid handshake
        try (WireClient c = new WireClient(port)) {
            byte[] junk = new byte[4096];
            new java.util.Random(7).nextBytes(junk);
            junk[0] = 2; junk[1] = 0; junk[2] = 0; junk[3] = 0; // a small first frame
            c.sendRaw(junk);
        }
        // the server still serves a well-behaved client
        try (WireClient c = openNewDb()) {
            assertThat(c.call(new Request.QuerySql(0, "SELECT 'ok'", List.of())))
                    .isEqualTo(new Response.Rows(List.of("'ok'"), List.of(List.of(Value.text("ok"))), true));
        }
    }

    @Test
    void aStalledClientDoesNotStallOthers() throws IOException {
        try (WireClient stalled = openNewDb()) {
            stalled.call(new Request.ExecSql(0, "CREATE TABLE big (v TEXT)", List.of()));
            stalled.call(new Request.ExecSql(0, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 20000) "
                    + "INSERT INTO big SELECT printf('%0500d', x) FROM n", List.of()));
            // ~10 MB of rows that this client never reads
            stalled.send(new Request.QuerySql(0, "SELECT v FROM big", List.of()));
            for (int i = 0; i < 5; i++) {
                try (WireClient other = openNewDb()) {
                    assertThat(other.call(new Request.QuerySql(0, "SELECT 1", List.of())))
                            .isInstanceOf(Response.Rows.class);
                }
            }
        }
    }

    @Test
    void membershipRequests() throws IOException {
        try (WireClient c = new WireClient(port)) {
            // a spare is never contacted, so its (out of range) derived Raft port sees no traffic
            assertThat(c.call(new Request.Add(9, "127.0.0.1:21199"))).isEqualTo(new Response.Empty());
            Response.Servers servers = (Response.Servers) c.call(new Request.Cluster(1));
            assertThat(servers.servers()).contains(new Response.ServerInfo(9, "127.0.0.1:21199", 2));
            assertThat(failure(c.call(new Request.Assign(9, 7))).message()).contains("role");
            assertThat(c.call(new Request.Remove(9))).isEqualTo(new Response.Empty());
            assertThat(((Response.Servers) c.call(new Request.Cluster(1))).servers()).hasSize(1);
            assertThat(c.call(new Request.Add(10, "no-port"))).isInstanceOf(Response.Failure.class);
        }
    }

    private static byte[] bytes(String hex) {
        return java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
    }
}
