package io.jdqlite.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-connection pragmas hold for the session that set them, as on dqlite where each client has its own connection. */
class SessionPragmasTest {
    @TempDir
    Path tmp;

    @Test
    void recognisesTheStatementsThatSetAPerSessionPragma() {
        assertThat(SessionPragmas.settingNamed("PRAGMA foreign_keys = ON")).isEqualTo("foreign_keys");
        assertThat(SessionPragmas.settingNamed("pragma main . \"Foreign_Keys\"(1)")).isEqualTo("foreign_keys");
        assertThat(SessionPragmas.settingNamed("EXPLAIN QUERY PLAN PRAGMA recursive_triggers=1")).isEqualTo("recursive_triggers");
        assertThat(SessionPragmas.settingNamed("/* x */ PRAGMA reverse_unordered_selects = true")).isEqualTo("reverse_unordered_selects");
        assertThat(SessionPragmas.settingNamed("PRAGMA foreign_keys")).isNull();
        assertThat(SessionPragmas.settingNamed("PRAGMA user_version = 3")).isNull();
        assertThat(SessionPragmas.settingNamed("SELECT 'PRAGMA foreign_keys=1'")).isNull();
    }

    @Test
    void eachSessionKeepsItsOwnSettings() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20600).startAll()) {
            int leader = c.awaitLeader();
            Session a = c.engines[leader].openSession("app");
            Session b = c.engines[leader].openSession("app");
            exec(a, "CREATE TABLE parent (id INTEGER PRIMARY KEY); "
                    + "CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent(id)); "
                    + "CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3)");

            exec(a, "PRAGMA foreign_keys = ON");
            assertThatThrownBy(() -> exec(a, "INSERT INTO child VALUES (1, 42)"))
                    .hasMessageContaining("FOREIGN KEY constraint failed");
            exec(b, "INSERT INTO child VALUES (2, 42)"); // b never asked for foreign keys
            assertThatThrownBy(() -> exec(a, "INSERT INTO child VALUES (3, 43)")).hasMessageContaining("FOREIGN KEY constraint failed");
            assertThat(value(a, "PRAGMA foreign_keys")).isEqualTo(1L);
            assertThat(value(b, "PRAGMA foreign_keys")).isEqualTo(0L);

            // A setting changes already when its pragma is prepared, as SQLite does it: still b's alone.
            Session d = c.engines[leader].openSession("app");
            d.prepare("PRAGMA foreign_keys = ON").get(30, TimeUnit.SECONDS);
            exec(b, "INSERT INTO child VALUES (4, 44)");
            assertThat(value(d, "PRAGMA foreign_keys")).isEqualTo(1L);

            // Inside its transaction the setting does not change (SQLite ignores foreign_keys there).
            exec(a, "BEGIN");
            exec(a, "PRAGMA foreign_keys = OFF");
            assertThatThrownBy(() -> exec(a, "INSERT INTO child VALUES (5, 45)")).hasMessageContaining("FOREIGN KEY constraint failed");
            exec(a, "COMMIT");

            // A setting that changes answers: that session's queries see it, the others' do not.
            exec(b, "PRAGMA reverse_unordered_selects = ON");
            assertThat(column(b, "SELECT v FROM t")).containsExactly(3L, 2L, 1L);
            assertThat(column(a, "SELECT v FROM t")).containsExactly(1L, 2L, 3L);
            exec(b, "PRAGMA reverse_unordered_selects = OFF");
            assertThat(column(b, "SELECT v FROM t")).containsExactly(1L, 2L, 3L);

            // A closed session's settings go with it.
            a.close();
            Session e = c.engines[leader].openSession("app");
            exec(e, "INSERT INTO child VALUES (6, 46)");
            assertThat(value(e, "PRAGMA foreign_keys")).isEqualTo(0L);
            assertThat(value(e, "SELECT count(*) FROM child")).isEqualTo(3L);
        }
    }

    @Test
    void settingsOutliveANewLeaderLoopAndWriteOnlyOnesAreKeptToo() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20620).startAll()) {
            int leader = c.awaitLeader();
            Session a = c.engines[leader].openSession("app");
            Session b = c.engines[leader].openSession("app");
            exec(a, "CREATE TABLE parent (id INTEGER PRIMARY KEY); "
                    + "CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent(id))");
            exec(a, "PRAGMA foreign_keys = ON");
            // case_sensitive_like reads back nothing: what the statement said is what the session has.
            exec(a, "PRAGMA case_sensitive_like = 'on'");
            assertThat(value(a, "SELECT 'a' LIKE 'A'")).isEqualTo(0L);
            exec(b, "BEGIN");
            assertThat(value(b, "SELECT 'a' LIKE 'A'")).as("b's own transaction, on the leader's connection").isEqualTo(1L);
            exec(b, "COMMIT");

            // The node stays the Raft leader but opens a new loop and connection for the database.
            Node n = c.engines[leader].node();
            n.stepDownDatabase(n.database("app"), EngineException.leadershipLost());
            assertThat(c.engines[leader].isLeader()).isTrue();
            assertThatThrownBy(() -> exec(a, "INSERT INTO child VALUES (1, 42)")).hasMessageContaining("FOREIGN KEY constraint failed");
            assertThat(value(a, "SELECT 'a' LIKE 'A'")).isEqualTo(0L);
            assertThat(value(b, "SELECT 'a' LIKE 'A'")).isEqualTo(1L);
            exec(b, "INSERT INTO child VALUES (2, 42)");
        }
    }

    private static void exec(Session s, String sql) throws Exception {
        try {
            s.execSql(sql, List.of()).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static Object value(Session s, String sql) throws Exception {
        return s.querySql(sql, List.of()).get(30, TimeUnit.SECONDS).rows().get(0)[0];
    }

    private static List<Object> column(Session s, String sql) throws Exception {
        List<Object> out = new ArrayList<>();
        for (Object[] row : s.querySql(sql, List.of()).get(30, TimeUnit.SECONDS).rows()) {
            out.add(row[0]);
        }
        return out;
    }
}
