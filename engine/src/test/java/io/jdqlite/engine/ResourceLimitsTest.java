package io.jdqlite.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What one client can make the leader hold is bounded, and going over answers a clear error. */
class ResourceLimitsTest {
    @TempDir
    Path tmp;

    @Test
    void preparedStatementsAndDatabasesAreBounded() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20360, EngineConfig.builder().maxDatabases(3)).startAll()) {
            int leader = c.awaitLeader();
            Session rogue = c.engines[leader].openSession("app");
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < EngineSession.MAX_PREPARED; i++) {
                ids.add(rogue.prepare("SELECT " + i).get(30, TimeUnit.SECONDS).id());
            }
            assertThatThrownBy(() -> rogue.prepare("SELECT 'one too many'").get(30, TimeUnit.SECONDS))
                    .hasMessageContaining("too many prepared statements");
            rogue.finalizeStatement(ids.get(0)).get(30, TimeUnit.SECONDS);
            assertThat(rogue.prepare("SELECT 'room again'").get(30, TimeUnit.SECONDS).id()).isPositive();

            c.engines[leader].openSession("second").close();
            c.engines[leader].openSession("third").close();
            assertThatThrownBy(() -> c.engines[leader].openSession("fourth"))
                    .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.SQLITE_CANTOPEN))
                    .hasMessageContaining("jdqlite.max-databases");
            c.engines[leader].openSession("app").close(); // a database it serves already still opens
        }
    }

    @Test
    void resultsBeyondTheHeapBudgetGoToASpillFileThatIsReadBackInOrderAndDeletedOnClose() throws Exception {
        EngineConfig.Builder smallBudget = EngineConfig.builder().maxResultBytes(1 << 20);
        try (TestCluster c = new TestCluster(tmp, 3, 20390, smallBudget).startAll()) {
            int leader = c.awaitLeader();
            Session s = c.engines[leader].openSession("big");
            s.execSql("CREATE TABLE b (x BLOB)", List.of()).get(30, TimeUnit.SECONDS);
            s.execSql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) "
                    + "INSERT INTO b SELECT randomblob(65536) FROM n", List.of()).get(30, TimeUnit.SECONDS);
            // ~100 bytes of heap per row: 100,000 of them are well over a 1 MiB budget.
            String rowsOfEveryType = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
                    + "SELECT i, 'é' || i, CAST(i AS REAL) / 2, NULL, x'00ff' FROM n";
            try (QueryResult big = s.querySql(rowsOfEveryType, List.of()).get(30, TimeUnit.SECONDS)) {
                assertThat(big.spilled()).isTrue();
                assertThat(big.rowCount()).isEqualTo(100_000);
                assertThat(spillFiles(c.dir(leader))).hasSize(1);
                assertThatThrownBy(big::rows).isInstanceOf(IllegalStateException.class).hasMessageContaining("cursor()");
                java.util.Iterator<Object[]> rows = big.cursor();
                for (long i = 1; i <= 100_000; i++) {
                    assertThat(rows.hasNext()).isTrue();
                    Object[] row = rows.next();
                    assertThat(row[0]).isEqualTo(i);
                    assertThat(row[1]).isEqualTo("é" + i);
                    assertThat(row[2]).isEqualTo(i / 2.0);
                    assertThat(row[3]).isNull();
                    assertThat((byte[]) row[4]).containsExactly(0x00, 0xff);
                }
                assertThat(rows.hasNext()).isFalse();
            }
            assertThat(spillFiles(c.dir(leader))).as("closing the result deletes its file").isEmpty();

            // Inside a transaction the read runs on the leader loop: it spills the same way.
            s.execSql("BEGIN", List.of()).get(30, TimeUnit.SECONDS);
            try (QueryResult blobs = s.querySql("SELECT x FROM b", List.of()).get(30, TimeUnit.SECONDS)) {
                assertThat(blobs.spilled()).isTrue();
                long n = 0;
                for (java.util.Iterator<Object[]> rows = blobs.cursor(); rows.hasNext(); n++) {
                    assertThat((byte[]) rows.next()[0]).hasSize(65536);
                }
                assertThat(n).isEqualTo(40);
            }
            s.execSql("COMMIT", List.of()).get(30, TimeUnit.SECONDS);
            assertThat(spillFiles(c.dir(leader))).isEmpty();

            QueryResult small = s.querySql("SELECT count(*) FROM b", List.of()).get(30, TimeUnit.SECONDS);
            assertThat(small.spilled()).isFalse();
            assertThat(small.rows().get(0)[0]).isEqualTo(40L);
        }
    }

    private static List<String> spillFiles(Path dataDir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dataDir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(SpilledRows.PREFIX) && n.endsWith(SpilledRows.SUFFIX)).toList();
        }
    }

    @Test
    void aDumpThatWouldEatIntoTheDiskReserveIsRefusedAndLeavesNoFile() throws Exception {
        // A reserve larger than any disk here: every copy would eat into it.
        EngineConfig.Builder hugeReserve = EngineConfig.builder().dumpDiskReserveBytes(Long.MAX_VALUE / 4)
                .maxResultBytes(1 << 20);
        try (TestCluster c = new TestCluster(tmp, 3, 20400, hugeReserve).startAll()) {
            int leader = c.awaitLeader();
            Session s = c.engines[leader].openSession("kept");
            s.execSql("CREATE TABLE t (x)", List.of()).get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> c.engines[leader].dump("kept").get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(EngineException.class)
                    .satisfies(e -> assertThat(((EngineException) e.getCause()).code()).isEqualTo(ErrorCodes.SQLITE_FULL))
                    .hasMessageContaining("not enough disk space on this node for a dump of kept");
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(c.dir(leader))) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(Node.DUMP_PREFIX));
            }
            // A result too large for the heap cannot spill to disk either: SQLITE_FULL, and no file left.
            assertThatThrownBy(() -> s.querySql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    + "WHERE i < 100000) SELECT i FROM n", List.of()).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(EngineException.class)
                    .satisfies(e -> assertThat(((EngineException) e.getCause()).code()).isEqualTo(ErrorCodes.SQLITE_FULL))
                    .hasMessageContaining("not enough disk space on this node for a query result of kept spilled to disk");
            assertThat(spillFiles(c.dir(leader))).isEmpty();
            // The database itself goes on.
            s.execSql("INSERT INTO t VALUES (1)", List.of()).get(30, TimeUnit.SECONDS);
        }
    }
}
