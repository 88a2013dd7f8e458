package io.jdqlite.jdbc;

import io.jdqlite.node.gateway.InProcessCluster;
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
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JDBC driver against a 3-node cluster in this JVM (ports 23100-23199), and JDBI driving it. */
class JdbcDriverTest {
    @TempDir
    static Path tmp;
    static InProcessCluster cluster;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        cluster = new InProcessCluster(tmp, 3, 23100);
        url = "jdbc:dqlite://" + String.join(",", cluster.addresses()) + "/jdbc?requestTimeout=20s";
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void theDriverIsFoundThroughServiceLoaderAndRefusesBadUrls() throws Exception {
        assertThat(DriverManager.getDriver(url)).isInstanceOf(DqliteDriver.class);
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:dqlite://127.0.0.1:23101")).hasMessageContaining("database");
        assertThatThrownBy(() -> DriverManager.getConnection(url + "&bogus=1")).hasMessageContaining("unknown URL option 'bogus'");
        assertThatThrownBy(() -> DriverManager.getConnection(url + "&maxMessageSize=lots"))
                .hasMessageContaining("maxMessageSize must be a number of bytes");
        assertThatThrownBy(() -> DriverManager.getConnection(url + "&maxMessageSize=10"))
                .hasMessageContaining("maxMessageSize must be between 1024");
    }

    @Test
    void maxMessageSizeInTheUrlBoundsTheRepliesRead() throws Exception {
        try (Connection c = DriverManager.getConnection(url + "&maxMessageSize=65536"); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT zeroblob(60000)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBytes(1)).hasSize(60000);
            }
            assertThatThrownBy(() -> s.executeQuery("SELECT zeroblob(70000)"))
                    .isInstanceOf(java.sql.SQLException.class).hasMessageContaining("exceeds the limit of 65536 bytes");
        }
    }

    @Test
    void preparedStatementsBindAndResultSetsConvertLikeSqliteJdbc() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE conv (i INTEGER, r REAL, t TEXT, b BLOB, d DATETIME, f BOOLEAN, n)");
            }
            Timestamp ts = Timestamp.valueOf("2026-11-24 10:11:12.345");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO conv VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                p.setInt(1, 42);
                p.setDouble(2, 2.5);
                p.setString(3, "17 apples");
                p.setBytes(4, new byte[] {1, 2, 3});
                p.setTimestamp(5, ts);
                p.setBoolean(6, true);
                p.setNull(7, Types.INTEGER);
                assertThat(p.executeUpdate()).isEqualTo(1);
                p.clearParameters();
                assertThatThrownBy(p::executeUpdate).hasMessageContaining("parameter 1 is not set");
            }
            try (PreparedStatement p = c.prepareStatement("SELECT i, r, t, b, d, f, n FROM conv WHERE i = ?")) {
                p.setLong(1, 42);
                try (ResultSet rs = p.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt("i")).isEqualTo(42);
                    assertThat(rs.getString(1)).isEqualTo("42");
                    assertThat(rs.getLong("r")).isEqualTo(2);
                    assertThat(rs.getInt("t")).isEqualTo(17);
                    assertThat(rs.getBytes("b")).containsExactly(1, 2, 3);
                    assertThat(rs.getTimestamp("d")).isEqualTo(ts);
                    assertThat(rs.getBoolean("f")).isTrue();
                    assertThat(rs.getObject("n")).isNull();
                    assertThat(rs.getInt("n")).isZero();
                    assertThat(rs.wasNull()).isTrue();
                    assertThat(rs.getMetaData().getColumnCount()).isEqualTo(7);
                    assertThat(rs.getMetaData().getColumnName(3)).isEqualTo("t");
                    assertThat(rs.getMetaData().getColumnType(1)).isEqualTo(Types.BIGINT);
                    assertThat(rs.next()).isFalse();
                    assertThatThrownBy(() -> rs.getInt(1)).hasMessageContaining("no current row");
                }
            }
        }
    }

    @Test
    void transactionsCommitAndRollBackOnOneLeaderConnection() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().executeUpdate("CREATE TABLE acct (id INTEGER PRIMARY KEY, balance INTEGER)");
            c.setAutoCommit(false);
            c.createStatement().executeUpdate("INSERT INTO acct VALUES (1, 100)");
            c.rollback();
            c.createStatement().executeUpdate("INSERT INTO acct VALUES (2, 200)");
            c.commit();
            c.setAutoCommit(true);
            try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM acct ORDER BY id")) {
                List<Integer> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
                assertThat(ids).containsExactly(2);
            }
            assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
            assertThatThrownBy(c::commit).hasMessageContaining("autocommit on");
        }
    }

    @Test
    void batchesAndGeneratedKeys() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            JdbcChecks.batchesAndGeneratedKeys(c);
        }
    }

    @Test
    void databaseMetaDataListsTablesColumnsAndPrimaryKeys() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().executeUpdate("CREATE TABLE meta_t (a INTEGER, b TEXT NOT NULL, PRIMARY KEY (b, a))");
            DatabaseMetaData md = c.getMetaData();
            assertThat(md.getDatabaseProductName()).isEqualTo("dqlite");
            assertThat(md.getDatabaseProductVersion()).startsWith("SQLite 3.");
            try (ResultSet t = md.getTables(null, null, "meta%", new String[] {"TABLE"})) {
                assertThat(t.next()).isTrue();
                assertThat(t.getString("TABLE_NAME")).isEqualTo("meta_t");
                assertThat(t.getString("TABLE_TYPE")).isEqualTo("TABLE");
                assertThat(t.next()).isFalse();
            }
            try (ResultSet col = md.getColumns(null, null, "meta_t", null)) {
                assertThat(col.next()).isTrue();
                assertThat(col.getString("COLUMN_NAME")).isEqualTo("a");
                assertThat(col.getInt("DATA_TYPE")).isEqualTo(Types.INTEGER);
                assertThat(col.next()).isTrue();
                assertThat(col.getString("COLUMN_NAME")).isEqualTo("b");
                assertThat(col.getString("IS_NULLABLE")).isEqualTo("NO");
                assertThat(col.getInt("ORDINAL_POSITION")).isEqualTo(2);
            }
            try (ResultSet pk = md.getPrimaryKeys(null, null, "meta_t")) {
                assertThat(pk.next()).isTrue();
                assertThat(pk.getString("COLUMN_NAME")).isEqualTo("b");
                assertThat(pk.getInt("KEY_SEQ")).isEqualTo(1);
                assertThat(pk.next()).isTrue();
                assertThat(pk.getString("COLUMN_NAME")).isEqualTo("a");
            }
        }
    }

    @Test
    void unsupportedCallsSayWhatIsNotSupported() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            assertThatThrownBy(() -> c.prepareCall("CALL x()")).isInstanceOf(SQLFeatureNotSupportedException.class)
                    .hasMessageContaining("Connection.prepareCall");
            assertThatThrownBy(() -> c.setSavepoint()).isInstanceOf(SQLFeatureNotSupportedException.class);
            assertThatThrownBy(() -> c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY))
                    .isInstanceOf(SQLFeatureNotSupportedException.class);
            assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT 1").absolute(3))
                    .isInstanceOf(SQLFeatureNotSupportedException.class).hasMessageContaining("ResultSet.absolute");
            assertThatThrownBy(() -> c.createStatement().executeQuery("SELEKT")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("syntax error");
        }
    }

    public record Person(long id, String name) {
    }

    @Test
    void jdbiDrivesTheDriver() {
        Jdbi jdbi = Jdbi.create(url);
        jdbi.useHandle(h -> {
            h.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT)");
            h.createUpdate("INSERT INTO person (name) VALUES (:name)").bind("name", "Ada").execute();
            h.createUpdate("INSERT INTO person (name) VALUES (:name)").bind("name", "Grace").execute();
        });
        List<Person> people = jdbi.withHandle(h -> h.createQuery("SELECT id, name FROM person ORDER BY id")
                .map((rs, ctx) -> new Person(rs.getLong("id"), rs.getString("name"))).list());
        assertThat(people).containsExactly(new Person(1, "Ada"), new Person(2, "Grace"));
        List<Map<String, Object>> maps = jdbi.withHandle(h -> h.createQuery("SELECT name FROM person WHERE id = :id")
                .bind("id", 2).mapToMap().list());
        assertThat(maps).singleElement().satisfies(m -> assertThat(m.get("name")).isEqualTo("Grace"));
        jdbi.useTransaction(h -> h.execute("UPDATE person SET name = 'Ada L.' WHERE id = 1"));
        String renamed = jdbi.withHandle(h -> h.createQuery("SELECT name FROM person WHERE id = 1").mapTo(String.class).one());
        assertThat(renamed).isEqualTo("Ada L.");
        int count = jdbi.withHandle(h -> h.inTransaction(t -> {
            t.execute("INSERT INTO person (name) VALUES ('rolled back')");
            t.rollback();
            return t.createQuery("SELECT count(*) FROM person").mapTo(Integer.class).one();
        }));
        assertThat(count).isEqualTo(2);
    }
}
