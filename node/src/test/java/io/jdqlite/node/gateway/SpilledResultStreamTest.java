package io.jdqlite.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import io.jdqlite.wire.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query result larger than the node's result limit (1 MiB here) is spilled to a file on the node and sent
 * from it page by page: the client gets every row, in order, and the file goes once the last page is out,
 * or on INTERRUPT, or when the client leaves (one node, ports 24951 and 25001).
 */
class SpilledResultStreamTest {
    private static final int BASE_PORT = 24950;
    private static final int ROWS = 20_000;

    @TempDir
    static Path dir;
    static InProcessCluster cluster;
    static int port;

    @BeforeAll
    static void start() throws IOException {
        cluster = new InProcessCluster(dir.resolve("cluster"), 1, BASE_PORT, config -> config.maxResultBytes(1 << 20));
        port = cluster.port(0);
        try (WireClient c = WireClient.withDatabase(port, "app", 0)) {
            assertThat(c.call(new Request.ExecSql(0, "CREATE TABLE t (i INTEGER PRIMARY KEY, v TEXT)", List.of())))
                    .isInstanceOf(Response.Result.class);
            // ~10 MB of rows: ten times the limit
            assertThat(c.call(new Request.ExecSql(0, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
                    + "WHERE x < " + ROWS + ") INSERT INTO t SELECT x, printf('%0500d', x) FROM n", List.of())))
                    .isEqualTo(new Response.Result(ROWS, ROWS));
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<Path> spillFiles() throws IOException {
        try (Stream<Path> files = Files.list(cluster.dataDir(0))) {
            return files.filter(p -> p.getFileName().toString().matches("result.*\\.tmp")).toList();
        }
    }

    @Test
    void aResultOverTheLimitArrivesWholeAndInOrderAndItsFileGoes() throws Exception {
        try (WireClient c = WireClient.withDatabase(port, "app", 0)) {
            List<Response> pages = c.pages(new Request.QuerySql(0, "SELECT i, v FROM t ORDER BY i", List.of()));
            assertThat(pages.size()).as("a 4 KiB page at a time").isGreaterThan(1000);
            long expected = 1;
            for (Response page : pages) {
                assertThat(page).isInstanceOf(Response.Rows.class);
                for (List<Value> row : ((Response.Rows) page).rows()) {
                    assertThat(row.get(0)).isEqualTo(Value.integer(expected));
                    assertThat(row.get(1).value()).isEqualTo(String.format("%0500d", expected));
                    expected++;
                }
            }
            assertThat(expected - 1).isEqualTo(ROWS);
            assertThat(((Response.Rows) pages.get(pages.size() - 1)).done()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(SpilledResultStreamTest::spillFiles, List::isEmpty);
    }

    @Test
    void anInterruptOrAClientThatLeavesMidResultLeavesNoFile() throws Exception {
        try (WireClient c = new WireClient(port, true, 4096)) {
            assertThat(c.call(new Request.Open("app", 0, "volatile"))).isEqualTo(new Response.Db(0));
            c.send(new Request.QuerySql(0, "SELECT v FROM t", List.of()));
            assertThat(c.receive()).isInstanceOfSatisfying(Response.Rows.class, r -> assertThat(r.done()).isFalse());
            assertThat(spillFiles()).as("the rest waits in its file").hasSize(1);
            c.send(new Request.Interrupt(0));
            Response r;
            while (!((r = c.receive()) instanceof Response.Empty)) {
                assertThat(r).isInstanceOf(Response.Rows.class);
            }
            await().atMost(Duration.ofSeconds(10)).until(SpilledResultStreamTest::spillFiles, List::isEmpty);
            // the connection goes on
            assertThat(c.call(new Request.QuerySql(0, "SELECT count(*) FROM t", List.of())))
                    .isEqualTo(new Response.Rows(List.of("count(*)"), List.of(List.of(Value.integer(ROWS))), true));

            c.send(new Request.QuerySql(0, "SELECT v FROM t", List.of()));
            assertThat(c.receive()).isInstanceOf(Response.Rows.class);
            assertThat(spillFiles()).hasSize(1);
        }
        await().atMost(Duration.ofSeconds(10)).until(SpilledResultStreamTest::spillFiles, List::isEmpty);
    }
}
