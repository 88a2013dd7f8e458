package io.jdqlite.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqliteValuesTest {
    @Test
    void plainStorageClassesWithoutSpecialDeclaredType() {
        assertThat(SqliteValues.toWire(5L, "INTEGER")).isEqualTo(Value.integer(5));
        assertThat(SqliteValues.toWire(1.5, null)).isEqualTo(Value.real(1.5));
        assertThat(SqliteValues.toWire("x", "TEXT")).isEqualTo(Value.text("x"));
        assertThat(SqliteValues.toWire(new byte[] {1}, "BLOB")).isEqualTo(Value.blob(new byte[] {1}));
        assertThat(SqliteValues.toWire(null, "INTEGER")).isEqualTo(Value.NULL);
        // only the exact names count, as in dqlite's strcasecmp
        assertThat(SqliteValues.toWire(5L, "DATETIME2")).isEqualTo(Value.integer(5));
        assertThat(SqliteValues.toWire(1L, "BOOL")).isEqualTo(Value.integer(1));
    }

    @Test
    void timeColumnsBecomeUnixTimeOrIso8601() {
        assertThat(SqliteValues.toWire(1700000000L, "datetime")).isEqualTo(Value.unixTime(1700000000L));
        assertThat(SqliteValues.toWire(0L, "DATE")).isEqualTo(Value.unixTime(0));
        assertThat(SqliteValues.toWire("2024-01-01", "TimeStamp")).isEqualTo(Value.iso8601("2024-01-01"));
        assertThat(SqliteValues.toWire(null, "DATETIME")).isEqualTo(Value.iso8601(""));
        // dqlite would abort here; we keep the storage class
        assertThat(SqliteValues.toWire(1.5, "DATETIME")).isEqualTo(Value.real(1.5));
    }

    @Test
    void booleanColumns() {
        assertThat(SqliteValues.toWire(1L, "BOOLEAN")).isEqualTo(Value.bool(true));
        assertThat(SqliteValues.toWire(0L, "boolean")).isEqualTo(Value.bool(false));
        assertThat(SqliteValues.toWire(7L, "BOOLEAN")).isEqualTo(Value.bool(true));
        assertThat(SqliteValues.toWire(null, "BOOLEAN")).isEqualTo(Value.bool(false));
        assertThat(SqliteValues.toWire("yes", "BOOLEAN")).isEqualTo(Value.text("yes"));
    }

    @Test
    void textIsCutAtNulLikeDqlite() {
        assertThat(SqliteValues.toWire("ab\0cd", null)).isEqualTo(Value.text("ab"));
    }
}
