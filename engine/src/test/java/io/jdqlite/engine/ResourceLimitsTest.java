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
    void resultsBeyondTheResultBudgetAreRefusedNotMaterialised() throws Exception {
        EngineConfig.Builder smallBudget = EngineConfig.builder().maxResultBytes(1 << 20);
        try (TestCluster c = new TestCluster(tmp, 3, 20390, smallBudget).startAll()) {
            int leader = c.awaitLeader();
            Session s = c.engines[leader].openSession("big");
            s.execSql("CREATE TABLE b (x BLOB)", List.of()).get(30, TimeUnit.SECONDS);
            s.execSql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) "
                    + "INSERT INTO b SELECT randomblob(65536) FROM n", List.of()).get(30, TimeUnit.SECONDS);
            // ~45 bytes of heap per one-integer row: 100,000 of them are over a 1 MiB budget.
            assertThatThrownBy(() -> s.querySql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    + "WHERE i < 100000) SELECT i FROM n", List.of()).get(30, TimeUnit.SECONDS))
                    .hasMessageContaining("query result larger than");
            QueryResult small = s.querySql("SELECT count(*) FROM b", List.of()).get(30, TimeUnit.SECONDS);
            assertThat(small.rows().get(0)[0]).isEqualTo(40L);
        }
    }

    @Test
    void aDumpThatWouldEatIntoTheDiskReserveIsRefusedAndLeavesNoFile() throws Exception {
        // A reserve larger than any disk here: every copy would eat into it.
        EngineConfig.Builder hugeReserve = EngineConfig.builder().dumpDiskReserveBytes(Long.MAX_VALUE / 4);
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
            // The database itself goes on.
            s.execSql("INSERT INTO t VALUES (1)", List.of()).get(30, TimeUnit.SECONDS);
        }
    }
}
