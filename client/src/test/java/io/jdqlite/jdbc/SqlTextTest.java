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
        assertThat(SqlText.parse("PRAGMA table_info(t)").returnsRows()).isTrue();
        assertThat(SqlText.parse("PRAGMA foreign_keys = ON").returnsRows()).isFalse();
        assertThat(SqlText.parse("UPDATE t SET a = (SELECT 1)").returnsRows()).isFalse();
        assertThat(SqlText.parse("").returnsRows()).isFalse();
    }

    @Test
    void transactionStatementsAreRecognised() {
        assertThat(SqlText.parse("BEGIN IMMEDIATE").transactionEffect()).isEqualTo(SqlText.TransactionEffect.BEGINS);
        assertThat(SqlText.parse("savepoint a").transactionEffect()).isEqualTo(SqlText.TransactionEffect.BEGINS);
        assertThat(SqlText.parse("ROLLBACK TO SAVEPOINT a").transactionEffect()).isEqualTo(SqlText.TransactionEffect.NONE);
        assertThat(SqlText.parse("ROLLBACK").transactionEffect()).isEqualTo(SqlText.TransactionEffect.ENDS);
        assertThat(SqlText.parse("BEGIN; INSERT INTO t VALUES (1); COMMIT").transactionEffect()).isEqualTo(SqlText.TransactionEffect.ENDS);
        assertThat(SqlText.parse("INSERT INTO t VALUES ('begin')").transactionEffect()).isEqualTo(SqlText.TransactionEffect.NONE);
    }

    @Test
    void readOnlyAllowsOnlyReads() {
        assertThat(SqlText.parse("SELECT 1; PRAGMA table_info(t)").isRead()).isTrue();
        assertThat(SqlText.parse("SELECT 1; DELETE FROM t").isRead()).isFalse();
        assertThat(SqlText.parse("WITH r AS (SELECT 1) DELETE FROM t").isRead()).isFalse();
        assertThat(SqlText.parse("PRAGMA journal_mode = DELETE").isRead()).isFalse();
    }
}
