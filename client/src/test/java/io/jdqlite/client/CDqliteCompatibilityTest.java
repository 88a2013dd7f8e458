package io.jdqlite.client;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The same client against the real C dqlite (a dqlite-benchmark node from Debian's go-dqlite), port 23150. */
class CDqliteCompatibilityTest {
    private static final String ADDRESS = "127.0.0.1:23150";
    @TempDir
    static Path tmp;
    static CDqliteNodes node;
    static DqliteClient client;

    @BeforeAll
    static void start() throws Exception {
        node = CDqliteNodes.startSingle(tmp, ADDRESS);
        client = node.client();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void roundTripsEveryTypeThroughExecQueryAndPreparedStatements() throws Exception {
        try (DqliteConnection c = client.open("compat")) {
            c.exec("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n, d DATETIME, f BOOLEAN)");
            c.exec("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", Long.MAX_VALUE, -0.5, "ünïcode", new byte[] {9, 8}, null,
                    "2026-11-24 10:00:00", false);
            try (Statement p = c.prepare("INSERT INTO t (i, s) VALUES (?, ?)")) {
                for (long i = 0; i < 50; i++) {
                    assertThat(p.exec(i, "row" + i).rowsAffected()).isEqualTo(1);
                }
            }
            try (Rows rows = c.query("SELECT i, r, s, b, n, f FROM t WHERE s = ?", "ünïcode")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.get(0)).isEqualTo(Long.MAX_VALUE);
                assertThat(rows.get(1)).isEqualTo(-0.5);
                assertThat((byte[]) rows.get(3)).containsExactly(9, 8);
                assertThat(rows.get(4)).isNull();
                assertThat(rows.get(5)).isEqualTo(false);
            }
            try (Rows rows = c.query("SELECT count(*) FROM t")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.get(0)).isEqualTo(51L);
            }
            assertThatThrownBy(() -> c.exec("INSERT INTO missing VALUES (1)")).isInstanceOf(DqliteException.class)
                    .hasMessageContaining("no such table");
        }
    }

    @Test
    void aQueryOfAStatementWithoutColumnsRunsItOnce() throws Exception {
        // This C dqlite (before 1.18.2) refuses such a QUERY with "not an error"; the client runs it with EXEC.
        try (DqliteConnection c = client.open("nocolumns")) {
            c.exec("CREATE TABLE t (v INTEGER)");
            try (Rows rows = c.query("WITH x(v) AS (VALUES (?)) INSERT INTO t SELECT v FROM x", 5)) {
                assertThat(rows.columns()).isEmpty();
                assertThat(rows.next()).isFalse();
            }
            try (Statement p = c.prepare("INSERT INTO t VALUES (?)")) {
                try (Rows rows = p.query(6)) {
                    assertThat(rows.columns()).isEmpty();
                    assertThat(rows.next()).isFalse();
                }
            }
            try (Rows rows = c.query("PRAGMA foreign_keys=ON; INSERT INTO t VALUES (7)")) {
                assertThat(rows.columns()).isEmpty(); // as C dqlite's QUERY: the first statement only
            }
            try (Rows rows = c.query("SELECT group_concat(v, ','), (SELECT foreign_keys FROM pragma_foreign_keys) FROM t")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.get(0)).isEqualTo("5,6");
                assertThat(rows.get(1)).isEqualTo(1L);
            }
            assertThatThrownBy(() -> c.query("INSERT INTO missing VALUES (1)")).isInstanceOf(DqliteException.class)
                    .hasMessageContaining("no such table: missing");
        }
    }

    @Test
    void clusterAndLeaderRequests() throws Exception {
        assertThat(client.cluster()).singleElement().satisfies(n -> {
            assertThat(n.address()).isEqualTo(ADDRESS);
            assertThat(n.role()).isEqualTo(NodeRole.VOTER);
        });
        assertThat(client.leader().address()).isEqualTo(ADDRESS);
    }

    @Test
    void describeAndWeightRequests() throws Exception {
        client.weight(ADDRESS, 5);
        assertThat(client.describe(ADDRESS).weight()).isEqualTo(5);
        client.weight(ADDRESS, 0);
        assertThat(client.describe(ADDRESS).weight()).isZero();
        assertThatThrownBy(() -> client.weight(ADDRESS, -1)).isInstanceOf(DqliteException.class)
                .hasMessageContaining("non-negative");
        assertThatThrownBy(() -> client.remove(99)).isInstanceOf(DqliteException.class)
                .satisfies(e -> assertThat(((DqliteException) e).outcomeUnknown()).isFalse());
    }

    @Test
    void dumpGivesFilesSqliteOpens() throws Exception {
        try (DqliteConnection c = client.open("dumpc")) {
            c.exec("CREATE TABLE t (x TEXT)");
            c.exec("INSERT INTO t VALUES ('a'), ('b')");
        }
        List<DatabaseFile> files = client.dump("dumpc", 64 << 20);
        assertThat(files).hasSize(2);
        Path db = tmp.resolve("dumpc.db");
        Files.write(db, files.get(0).content());
        Files.write(tmp.resolve("dumpc.db-wal"), files.get(1).content()); // C dqlite's rows are in its WAL
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             var q = c.createStatement().executeQuery("SELECT group_concat(x, ',') FROM t")) {
            assertThat(q.next()).isTrue();
            assertThat(q.getString(1)).isEqualTo("a,b");
        }
        assertThatThrownBy(() -> client.dump("dumpc", 1024)).isInstanceOfSatisfying(DqliteException.class,
                e -> assertThat(e.getErrorCode()).isEqualTo(18));

        // Written to disk as it arrives: the same files, whatever their size.
        Path streamed = Files.createDirectories(tmp.resolve("streamed")).resolve("dumpc.db");
        assertThat(client.dump("dumpc", streamed, DumpProgress.NONE)).extracting(DumpedFile::size)
                .containsExactly((long) files.get(0).content().length, (long) files.get(1).content().length);
        assertThat(Files.readAllBytes(streamed.resolveSibling("dumpc.db-wal"))).isEqualTo(files.get(1).content());
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + streamed);
             var q = c.createStatement().executeQuery("SELECT group_concat(x, ',') FROM t")) {
            assertThat(q.next()).isTrue();
            assertThat(q.getString(1)).isEqualTo("a,b");
        }
    }

    @Test
    void theCDqliteAcceptsInterruptsAndTheConnectionGoesOn() throws Exception {
        try (DqliteConnection c = client.open("interrupts")) {
            c.exec("CREATE TABLE t (v TEXT)");
            c.exec("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 20000) "
                    + "INSERT INTO t SELECT printf('%0500d', x) FROM n");
            // dqlite reads the INTERRUPT once it has sent the whole result, then answers it with EMPTY
            Rows rows = c.query("SELECT v FROM t");
            assertThat(rows.next()).isTrue();
            assertThat(c.interrupt()).isTrue();
            assertThatThrownBy(() -> {
                while (rows.next()) {
                    // rows of pages read before the interrupt
                }
            }).isInstanceOfSatisfying(DqliteException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            rows.close();
            assertThat(c.isClosed()).isFalse();

            // a statement still being computed: its answer, then the EMPTY
            java.util.concurrent.CompletableFuture<Object> query = Background.run(() -> InterruptTest.single(c,
                    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000000) SELECT count(*) FROM n"));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(c::interrupt);
            assertThat(Background.failureOf(query, 20)).hasMessage("interrupted");
            assertThat(c.isClosed()).isFalse();

            // an exec runs to its end, and keeps its result
            java.util.concurrent.CompletableFuture<Object> exec = Background.run(() -> c.exec(
                    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 300000) INSERT INTO t SELECT x FROM n"));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(c::interrupt);
            assertThat(exec.get(30, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOfSatisfying(ExecResult.class,
                    r -> assertThat(r.rowsAffected()).isEqualTo(300000));
            assertThat(InterruptTest.single(c, "SELECT count(*) FROM t")).isEqualTo(320000);
            assertThat(c.isClosed()).isFalse();
        }
    }
}
