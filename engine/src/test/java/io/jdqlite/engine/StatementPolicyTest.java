package io.jdqlite.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What one client may not do to the connection the leader shares among all clients of a database. */
class StatementPolicyTest {
    @TempDir
    Path tmp;

    private static void assertRefused(String sql, String why) {
        assertThatThrownBy(() -> StatementPolicy.check(sql)).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.SQLITE_AUTH);
            assertThat(e.getMessage()).contains(why);
        });
    }

    @Test
    void sharedStateAndOutsideFilesAreRefusedAndOrdinarySqlIsNot() {
        assertRefused("PRAGMA locking_mode = EXCLUSIVE", "locking_mode");
        assertRefused("/* c */ pragma main.query_only=1", "query_only");
        assertRefused("PRAGMA \"journal_mode\"(DELETE)", "journal_mode");
        assertRefused("PRAGMA wal_checkpoint", "checkpoints the WAL itself");
        assertRefused("ATTACH DATABASE '/tmp/x.db' AS x", "ATTACH");
        assertRefused("  create temporary table t(a)", "TEMP");
        assertRefused("CREATE TEMP VIEW v AS SELECT 1", "TEMP");
        assertRefused("VACUUM INTO '/tmp/copy.db'", "VACUUM INTO");
        // Spellings SQLite takes for the same statements: EXPLAIN first, comments between tokens, quoted names.
        assertRefused("EXPLAIN PRAGMA query_only=1", "query_only");
        assertRefused("explain query plan pragma locking_mode = exclusive", "locking_mode");
        assertRefused("PRAGMA /* x */ query_only=1", "query_only");
        assertRefused("PRAGMA query_only/**/=1", "query_only");
        assertRefused("PRAGMA 'query_only'=1", "query_only");
        assertRefused("PRAGMA [main].[query_only](1)", "query_only");
        assertRefused("CREATE TABLE temp.mine(a)", "TEMP");
        assertRefused("CREATE TABLE IF NOT EXISTS \"temp\" . mine(a)", "TEMP");
        assertRefused("CREATE /**/ TEMP TABLE x(a)", "TEMP");
        assertRefused("EXPLAIN ATTACH 'x.db' AS x", "ATTACH");
        for (String ok : List.of("PRAGMA journal_mode", "PRAGMA locking_mode", "PRAGMA foreign_keys = ON",
                "PRAGMA user_version = 3", "PRAGMA table_info(t)", "CREATE TABLE temp_values (a)",
                "SELECT 'ATTACH'", "INSERT INTO t VALUES ('PRAGMA locking_mode=EXCLUSIVE')", "VACUUM",
                "PRAGMA journal_mode=WAL", "PRAGMA synchronous = OFF", "CREATE TABLE temporary_data (a)",
                "EXPLAIN SELECT 1", "CREATE TABLE t2 AS SELECT * FROM main.t")) {
            assertThatCode(() -> StatementPolicy.check(ok)).as(ok).doesNotThrowAnyException();
        }
    }

    @Test
    void aRefusedStatementLeavesOtherClientsWriting() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20370).startAll()) {
            int leader = c.awaitLeader();
            Session rogue = c.engines[leader].openSession("app");
            Session other = c.engines[leader].openSession("app");
            other.execSql("CREATE TABLE t (v INTEGER)", List.of()).get(30, TimeUnit.SECONDS);
            Path outside = tmp.resolve("outside.db");
            for (String sql : List.of("PRAGMA locking_mode=EXCLUSIVE", "PRAGMA query_only=ON", "EXPLAIN PRAGMA query_only=1",
                    "ATTACH DATABASE '" + outside + "' AS o", "INSERT INTO t VALUES (1); CREATE TEMP TABLE mine (a)")) {
                assertThatThrownBy(() -> rogue.execSql(sql, List.of()).get(30, TimeUnit.SECONDS))
                        .as(sql).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(EngineException.class);
            }
            assertThat(outside).doesNotExist();
            rogue.execSql("INSERT INTO t VALUES (2)", List.of()).get(30, TimeUnit.SECONDS);
            other.execSql("INSERT INTO t VALUES (3)", List.of()).get(30, TimeUnit.SECONDS);
            QueryResult q = other.querySql("SELECT group_concat(v) FROM t", List.of()).get(30, TimeUnit.SECONDS);
            assertThat(q.rows().get(0)[0]).as("the refused multi-statement text ran none of its statements").isEqualTo("2,3");
            assertThat(Files.exists(outside)).isFalse();
        }
    }
}
