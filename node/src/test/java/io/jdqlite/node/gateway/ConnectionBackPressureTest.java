package io.jdqlite.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jdqlite.wire.MessageWriter;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import io.jdqlite.wire.Value;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that pipelines requests with large answers and does not read them: the server must not
 * buffer every answer, only what fits below the write watermark plus one answer, and then serve the
 * rest, in order, as the client reads.
 */
class ConnectionBackPressureTest {
    private static final int BASE_PORT = 24700;
    /** A TCP receive window this small keeps the kernel from absorbing much of what the server sends. */
    private static final int SMALL_RECEIVE_BUFFER = 64 * 1024;

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

    private static WireClient open(String db, int receiveBuffer) throws IOException {
        return WireClient.withDatabase(port, db, receiveBuffer);
    }

    /** The server side of the only open connection (earlier ones are awaited away). */
    private static ConnectionHandler onlyConnection() {
        return await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.server(0).connections(), s -> s.size() == 1).iterator().next();
    }

    /** The connection's state once it no longer changes (two samples half a second apart agree). */
    private static ConnectionHandler.State settled(ConnectionHandler server) {
        ConnectionHandler.State[] last = {null};
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            ConnectionHandler.State now = server.state();
            boolean same = now.equals(last[0]);
            last[0] = now;
            return same ? now : null;
        }, java.util.Objects::nonNull);
    }

    @Test
    void pipelinedDumpsAreAnsweredOnlyAsFastAsTheClientReads() throws Exception {
        Response.Files image;
        try (WireClient setup = open("dumps", 0)) {
            setup.call(new Request.ExecSql(0, "CREATE TABLE b (x BLOB)", List.of()));
            setup.call(new Request.ExecSql(0, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4) "
                    + "INSERT INTO b SELECT randomblob(500000) FROM n", List.of()));
            image = (Response.Files) await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> setup.call(new Request.Dump("dumps")), r -> r instanceof Response.Files);
        }
        int answerBytes = image.toBytes().length;
        assertThat(answerBytes).isGreaterThan(2_000_000);

        // ~60 MB of DUMP answers, each followed by an INSERT whose row id shows the order. No query:
        // its pages would wait for the client anyway, which is what answers other than ROWS did not do.
        int pairs = 30;
        try (WireClient c = open("inserts", SMALL_RECEIVE_BUFFER)) {
            assertThat(c.call(new Request.ExecSql(0, "CREATE TABLE l (i)", List.of()))).isInstanceOf(Response.Result.class);
            MessageWriter w = new MessageWriter();
            for (int i = 0; i < pairs; i++) {
                new Request.Dump("dumps").writeTo(w);
                new Request.ExecSql(0, "INSERT INTO l VALUES (?)", List.of(Value.integer(i))).writeTo(w);
            }
            c.sendRaw(w.toByteArray());
            ConnectionHandler server = onlyConnection();
            long all = 2 + 2L * pairs; // OPEN, CREATE and the pipelined requests
            // Stalled: a dump's answer is written only as the client reads, and counts as served once
            // written. Until the client reads, nothing changes; the old code served everything instead.
            ConnectionHandler.State stalled = settled(server);
            assertThat(stalled.served()).as("requests served before the client read anything").isLessThan(all);
            assertThat(stalled.busy()).as("a dump's answer being written").isTrue();
            assertThat(stalled.pendingBytes()).as("answer bytes held for the client")
                    .isLessThanOrEqualTo(DqliteServer.HIGH_WATERMARK + answerBytes);
            assertThat(stalled.autoRead()).as("reading from a client that does not read").isFalse();

            for (int i = 0; i < pairs; i++) {
                assertThat(c.receive()).as("answer %d", 2 * i).isEqualTo(image);
                assertThat(c.receive()).as("answer %d", 2 * i + 1).isEqualTo(new Response.Result(i + 1, 1));
            }
            // the connection is back to normal
            assertThat(c.call(new Request.Leader())).isInstanceOf(Response.Server.class);
            ConnectionHandler.State after = server.state();
            assertThat(after.served()).isEqualTo(all + 1);
            assertThat(after.autoRead()).isTrue();
        }
    }

    @Test
    void pipelinedLargeQueriesStayBoundedAndInOrder() throws Exception {
        try (WireClient setup = open("rows", 0)) {
            setup.call(new Request.ExecSql(0, "CREATE TABLE t (v TEXT)", List.of()));
            setup.call(new Request.ExecSql(0, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000) "
                    + "INSERT INTO t SELECT printf('%0500d', x) FROM n", List.of()));
        }
        int queries = 20; // ~1 MB of rows each
        try (WireClient c = open("rows", SMALL_RECEIVE_BUFFER)) {
            MessageWriter w = new MessageWriter();
            for (int i = 0; i < queries; i++) {
                new Request.QuerySql(0, "SELECT ?, v FROM t", List.of(Value.integer(i))).writeTo(w);
            }
            c.sendRaw(w.toByteArray());
            ConnectionHandler server = onlyConnection();
            long all = 1 + queries;
            // Stalled: a query's pages wait for the client and the next request waits behind it.
            ConnectionHandler.State stalled = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(server::state, s -> s.served() == all || (!s.writable() && s.waiting() > 0));
            assertThat(stalled.served()).isLessThan(all);
            assertThat(stalled.pendingBytes()).isLessThanOrEqualTo(DqliteServer.HIGH_WATERMARK + 2 * RowsPager.DEFAULT_PAGE_BYTES);
            assertThat(stalled.autoRead()).isFalse();

            for (int i = 0; i < queries; i++) {
                int rows = 0;
                Response.Rows page;
                do {
                    page = (Response.Rows) c.receive();
                    for (List<Value> row : page.rows()) {
                        assertThat(row.get(0)).as("query %d", i).isEqualTo(Value.integer(i));
                        rows++;
                    }
                } while (!page.done());
                assertThat(rows).isEqualTo(2000);
            }
            assertThat(c.call(new Request.Leader())).isInstanceOf(Response.Server.class);
        }
    }
}
