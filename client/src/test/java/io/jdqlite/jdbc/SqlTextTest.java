package io.jdqlite.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqlTextTest {
    @Test
    void parametersAreNumberedAsSqliteNumbersThem() {
        assertThat(SqlText.parse("SELECT ?, ?").parameterCount()).isEqualTo(2);
        assertThat(SqlText.parse("SELECT ?1 + ?1").parameterCount()).isEqualTo(1);
        assertThat(SqlText.parse("SELECT ?3, ?").parameterCount()).isEqualTo(4);
        assertThat(SqlText.parse("SELECT :a, @b, $c, :a").parameterCount()).isEqualTo(3);
        assertThat(SqlText.parse("SELECT :1 + :2 + :1").parameterCount()).isEqualTo(2);
        assertThat(SqlText.parse("SELECT '?', \"?\", [?], `?` -- ?\n /* ? */").parameterCount()).isZero();
        assertThat(SqlText.parse("SELECT 'it''s ?', ?").parameterCount()).isEqualTo(1);
        assertThat(SqlText.parse("SELECT ?99999999999").parameterCount()).isEqualTo(32767);
    }

    @Test
    void rowsComeFromReadsReturningClausesAndReadingPragmas() {
        assertThat(SqlText.parse("  -- hello\n /* c */ select 1").returnsRows()).isTrue();
        assertThat(SqlText.parse("VALUES (1)").returnsRows()).isTrue();
        assertThat(SqlText.parse("EXPLAIN QUERY PLAN SELECT 1").returnsRows()).isTrue();
        assertThat(SqlText.parse("WITH r AS (SELECT 1) SELECT * FROM r").returnsRows()).isTrue();
        assertThat(SqlText.parse("WITH r AS (SELECT 1) INSERT INTO t SELECT * FROM r").returnsRows()).isFalse();
        assertThat(SqlText.parse("INSERT INTO t VALUES (1) RETURNING id").returnsRows()).isTrue();
        assertThat(SqlText.parse("INSERT INTO t VALUES ('returning')").returnsRows()).isFalse();
        assertThat(SqlText.parse("INSERT INTO \"returning\" VALUES (1)").returnsRows()).isFalse();
        assertThat(SqlText.parse("PRAGMA table_info(t)").returnsRows()).isTrue();
        assertThat(SqlText.parse("PRAGMA foreign_keys = ON").returnsRows()).isFalse();
        assertThat(SqlText.parse("UPDATE t SET a = (SELECT 1)").returnsRows()).isFalse();
        assertThat(SqlText.parse("").returnsRows()).isFalse();
    }

    private static boolean openAfter(String... texts) {
        TransactionTracker t = new TransactionTracker();
        for (String text : texts) {
            t.follow(SqlText.parse(text));
        }
        return t.isOpen();
    }

    @Test
    void transactionsAreFollowedThroughBeginCommitAndSavepoints() {
        assertThat(openAfter("BEGIN IMMEDIATE")).isTrue();
        assertThat(openAfter("BEGIN", "ROLLBACK TO SAVEPOINT a")).isTrue();
        assertThat(openAfter("BEGIN", "ROLLBACK")).isFalse();
        assertThat(openAfter("BEGIN; INSERT INTO t VALUES (1); COMMIT")).isFalse();
        assertThat(openAfter("INSERT INTO t VALUES ('begin')")).isFalse();
        // A savepoint outside a transaction begins one; releasing that outermost savepoint commits it.
        assertThat(openAfter("savepoint a")).isTrue();
        assertThat(openAfter("SAVEPOINT a", "SAVEPOINT b", "RELEASE b")).isTrue();
        assertThat(openAfter("SAVEPOINT a", "SAVEPOINT b", "RELEASE SAVEPOINT a")).isFalse();
        assertThat(openAfter("SAVEPOINT \"x y\"", "RELEASE \"x y\"")).isFalse();
        assertThat(openAfter("BEGIN", "SAVEPOINT a", "RELEASE a")).as("inside BEGIN a release commits nothing").isTrue();
        assertThat(openAfter("SAVEPOINT a", "RELEASE nope")).isTrue();
        // A trigger body's "...; END" ends no transaction, and the CREATE is one statement.
        assertThat(openAfter("BEGIN", "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO l VALUES (1); "
                + "UPDATE l SET a = CASE WHEN a > 1 THEN 1 ELSE 2 END; END")).isTrue();
        assertThat(SqlText.parse("CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END; INSERT INTO t VALUES (1)")
                .statements()).hasSize(2);
    }

    @Test
    void readOnlyAllowsOnlyReads() {
        assertThat(SqlText.parse("SELECT 1; PRAGMA table_info(t)").isRead()).isTrue();
        assertThat(SqlText.parse("SELECT 1; DELETE FROM t").isRead()).isFalse();
        assertThat(SqlText.parse("WITH r AS (SELECT 1) DELETE FROM t").isRead()).isFalse();
        assertThat(SqlText.parse("PRAGMA journal_mode = DELETE").isRead()).isFalse();
        assertThat(SqlText.parse("PRAGMA user_version(77)").isRead()).isFalse();
        assertThat(SqlText.parse("PRAGMA main.table_info(t)").isRead()).isTrue();
    }

    @Test
    void findsThePragmasAStatementSets() {
        java.util.Map<String, String> set = SqlText.parse("PRAGMA foreign_keys = ON; PRAGMA main.\"recursive_triggers\"(1); PRAGMA foreign_keys").pragmasSet();
        assertThat(set).containsOnlyKeys("FOREIGN_KEYS", "RECURSIVE_TRIGGERS").containsEntry("FOREIGN_KEYS", "ON");
        assertThat(set.get("RECURSIVE_TRIGGERS")).as("a value in parentheses is not read").isNull();
        assertThat(SqlText.parse("SELECT 'PRAGMA foreign_keys=1'").pragmasSet()).isEmpty();
        assertThat(SqlText.parse("PRAGMA table_info(t)").pragmasSet()).containsOnlyKeys("TABLE_INFO");
        assertThat(SqlText.parse("EXPLAIN QUERY PLAN PRAGMA case_sensitive_like = -1").pragmasSet())
                .containsExactly(java.util.Map.entry("CASE_SENSITIVE_LIKE", "-1"));
    }
}
