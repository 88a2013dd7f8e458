package io.jdqlite.jdbc;

import io.jdqlite.client.CDqliteNodes;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JDBC driver against the real C dqlite (a dqlite-benchmark node, port 25201): what tools do through it
 * (conversions, transactions, batches, generated keys, schema metadata, JDBI) needs nothing of jdqlite's own.
 */
class CDqliteJdbcTest {
    private static final String ADDRESS = "127.0.0.1:25201";
    private static final String URL = "jdbc:dqlite://" + ADDRESS + "/cjdbc?requestTimeout=20s&leaderSearchTimeout=30s";
    @TempDir
    static Path tmp;
    static CDqliteNodes node;

    @BeforeAll
    static void start() throws Exception {
        node = CDqliteNodes.startSingle(tmp, ADDRESS);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void valuesBindAndConvertAsAgainstJdqlite() throws Exception {
        try (Connection c = DriverManager.getConnection(URL)) {
            c.createStatement().executeUpdate("CREATE TABLE conv (i INTEGER, r REAL, t TEXT, b BLOB, d DATETIME, f BOOLEAN, n)");
            Timestamp ts = Timestamp.valueOf("2026-11-27 10:11:12.345");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO conv VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                p.setLong(1, Long.MIN_VALUE);
                p.setDouble(2, 2.5);
                p.setString(3, "17 äpfel");
                p.setBytes(4, new byte[] {1, 2, 3});
                p.setTimestamp(5, ts);
                p.setBoolean(6, true);
                p.setNull(7, Types.INTEGER);
                assertThat(p.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement p = c.prepareStatement("SELECT i, r, t, b, d, f, n FROM conv WHERE t = ?")) {
                p.setString(1, "17 äpfel");
                try (ResultSet rs = p.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong("i")).isEqualTo(Long.MIN_VALUE);
                    assertThat(rs.getString("r")).isEqualTo("2.5");
                    assertThat(rs.getInt("t")).isEqualTo(17);
                    assertThat(rs.getBytes("b")).containsExactly(1, 2, 3);
                    assertThat(rs.getTimestamp("d")).isEqualTo(ts);
                    assertThat(rs.getBoolean("f")).isTrue();
                    assertThat(rs.getObject("n")).isNull();
                    assertThat(rs.getMetaData().getColumnName(3)).isEqualTo("t");
                    assertThat(rs.next()).isFalse();
                }
            }
            assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT * FROM missing"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("no such table: missing");
        }
    }

    @Test
    void aStatementWithoutResultColumnsRunsAndGivesNoResultSet() throws Exception {
        // This C dqlite refuses a QUERY of such a statement ("not an error"); the client runs it with EXEC.
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE counted (v INTEGER)");
            assertThat(s.execute("PRAGMA shrink_memory")).isFalse();
            assertThat(s.getResultSet()).isNull();
            try (ResultSet rs = s.executeQuery("WITH x(v) AS (VALUES (1), (2)) INSERT INTO counted SELECT v FROM x")) {
                assertThat(rs.getMetaData().getColumnCount()).isZero();
                assertThat(rs.next()).isFalse();
            }
            assertThat(ids(c, "SELECT count(*) FROM counted")).containsExactly("2");
        }
    }

    @Test
    void aTransactionCommitsOrRollsBackAsOne() throws Exception {
        try (Connection c = DriverManager.getConnection(URL); Connection other = DriverManager.getConnection(URL)) {
            c.createStatement().executeUpdate("CREATE TABLE acct (id INTEGER PRIMARY KEY, balance INTEGER)");
            c.setAutoCommit(false);
            c.createStatement().executeUpdate("INSERT INTO acct VALUES (1, 100)");
            c.createStatement().executeUpdate("INSERT INTO acct VALUES (2, 50)");
            c.rollback();
            c.createStatement().executeUpdate("INSERT INTO acct VALUES (3, 300)");
            c.createStatement().executeUpdate("UPDATE acct SET balance = balance - 1 WHERE id = 3");
            c.commit();
            c.setAutoCommit(true);
            assertThat(ids(other, "SELECT id || ':' || balance FROM acct ORDER BY id")).containsExactly("3:299");
        }
    }

    @Test
    void batchesAndGeneratedKeys() throws Exception {
        try (Connection c = DriverManager.getConnection(URL)) {
            JdbcChecks.batchesAndGeneratedKeys(c);
        }
    }

    @Test
    void schemaMetadataComesFromTheCatalogOfTheCNode() throws Exception {
        try (Connection c = DriverManager.getConnection(URL)) {
            c.createStatement().executeUpdate("CREATE TABLE owner (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
            c.createStatement().executeUpdate("CREATE TABLE pet (id INTEGER PRIMARY KEY, "
                    + "owner_id INTEGER REFERENCES owner(id), name TEXT)");
            c.createStatement().executeUpdate("CREATE INDEX pet_by_owner ON pet (owner_id)");
            DatabaseMetaData md = c.getMetaData();
            assertThat(md.getDatabaseProductVersion()).startsWith("SQLite 3.");
            assertThat(column(md.getTables(null, null, "%", new String[] {"TABLE"}), "TABLE_NAME")).contains("owner", "pet");
            assertThat(column(md.getColumns(null, null, "pet", null), "COLUMN_NAME")).containsExactly("id", "owner_id", "name");
            assertThat(column(md.getPrimaryKeys(null, null, "owner"), "COLUMN_NAME")).containsExactly("id");
            assertThat(column(md.getImportedKeys(null, null, "pet"), "PKTABLE_NAME")).containsExactly("owner");
            assertThat(column(md.getIndexInfo(null, null, "pet", false, false), "INDEX_NAME")).contains("pet_by_owner");
        }
    }

    public record Person(long id, String name) {
    }

    @Test
    void jdbiDrivesTheDriverAgainstCDqlite() {
        Jdbi jdbi = Jdbi.create(URL);
        jdbi.useHandle(h -> h.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT)"));
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO person (name) VALUES (:name)").bind("name", "Ada").execute();
            h.createUpdate("INSERT INTO person (name) VALUES (:name)").bind("name", "Grace").execute();
        });
        List<Person> people = jdbi.withHandle(h -> h.createQuery("SELECT id, name FROM person ORDER BY id")
                .map((rs, ctx) -> new Person(rs.getLong("id"), rs.getString("name"))).list());
        assertThat(people).containsExactly(new Person(1, "Ada"), new Person(2, "Grace"));
    }

    private static List<String> ids(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return column(s.executeQuery(sql), 1);
        }
    }

    private static List<String> column(ResultSet rs, Object column) throws SQLException {
        List<String> values = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                values.add(column instanceof Integer i ? rs.getString(i) : rs.getString((String) column));
            }
        }
        return values;
    }
}
