package io.jdqlite.jdbc;

import io.jdqlite.node.gateway.InProcessCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * JDBC semantics a production application relies on (transactions after a failed commit, one connection
 * shared by threads, statement routing, streaming, batches, timeouts), against a 3-node cluster in this JVM
 * (ports 24601-24603, 24651-24653).
 */
class JdbcSemanticsTest {
    @TempDir
    static Path tmp;
    static InProcessCluster cluster;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        cluster = new InProcessCluster(tmp, 3, 24600);
        url = "jdbc:dqlite://" + String.join(",", cluster.addresses()) + "/semantics?requestTimeout=20s";
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aFailedCommitLeavesTheTransactionToRollBackAndLaterWritesCommit() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
                s.executeUpdate("CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
                s.execute("PRAGMA foreign_keys=ON");
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO child VALUES (1, 42)"); // no parent 42: COMMIT must fail
            }
            assertThatThrownBy(c::commit).isInstanceOf(SQLException.class).hasMessageContaining("FOREIGN KEY");
            c.rollback();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("INSERT INTO parent VALUES (7)")).isEqualTo(1);
            }
            // Committed for real: another connection sees it and can write after it.
            assertThat(count(other, "parent")).isEqualTo(1);
            try (Statement s = other.createStatement()) {
                assertThat(s.executeUpdate("INSERT INTO parent VALUES (8)")).isEqualTo(1);
            }
            assertThat(count(c, "child")).isZero();
        }
    }

    @Test
    void aTransactionBegunInSqlIsFollowed() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE sqltx (v INTEGER)");
                s.execute("BEGIN");
                s.executeUpdate("INSERT INTO sqltx VALUES (1)");
                assertThat(count(other, "sqltx")).isZero();
                s.execute("COMMIT");
            }
            assertThat(count(other, "sqltx")).isEqualTo(1);
        }
    }

    @Test
    void oneConnectionSharedByThreadsGivesEachItsOwnAnswers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Connection c = DriverManager.getConnection(url)) {
            List<Future<Integer>> wrong = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int me = t;
                wrong.add(pool.submit(() -> {
                    int mismatches = 0;
                    for (int i = 0; i < 200; i++) {
                        long expected = me * 100_000L + i;
                        try (PreparedStatement p = c.prepareStatement("SELECT ?")) {
                            p.setLong(1, expected);
                            try (ResultSet rs = p.executeQuery()) {
                                rs.next();
                                mismatches += rs.getLong(1) == expected ? 0 : 1;
                            }
                        }
                    }
                    return mismatches;
                }));
            }
            for (Future<Integer> f : wrong) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void executeQueryAndExecuteUpdateRunWhatTheyAreGiven() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE routed (id INTEGER PRIMARY KEY, v TEXT)");
            assertThat(s.executeUpdate("WITH r(x) AS (VALUES ('a'), ('b')) INSERT INTO routed(v) SELECT x FROM r")).isEqualTo(2);
            try (ResultSet rs = s.executeQuery("INSERT INTO routed(v) VALUES ('c') RETURNING id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(3);
            }
            try (ResultSet rs = s.executeQuery("-- a comment first\nSELECT 7")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
            assertThat(s.execute("/* x */ SELECT 8")).isTrue();
            assertThat(s.execute("INSERT INTO routed(v) VALUES ('d') RETURNING v")).isTrue();
            assertThat(s.execute("PRAGMA foreign_keys = ON")).isFalse();
            assertThat(s.execute("PRAGMA foreign_keys")).isTrue();
            assertThat(s.getResultSet().getMetaData().getColumnCount()).isEqualTo(1);
            assertThat(s.execute("PRAGMA shrink_memory")).isFalse(); // no "=", yet no result columns
            assertThat(s.getResultSet()).isNull();
            assertThat(s.getUpdateCount()).isZero();
            assertThat(s.execute("UPDATE routed SET v = upper(v)")).isFalse();
            assertThat(s.getUpdateCount()).isEqualTo(4);
            assertThat(count(c, "routed")).isEqualTo(4);
        }
    }

    @Test
    void parametersAreCountedAsSqliteNumbersThem() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            try (PreparedStatement p = c.prepareStatement("SELECT ?1 + ?1, 'not a ? parameter' -- nor this?")) {
                p.setInt(1, 21);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(42);
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT :a || :b || :a")) {
                p.setString(1, "x");
                p.setString(2, "y");
                assertThatThrownBy(() -> p.setString(3, "z")).hasMessageContaining("out of range 1..2");
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("xyx");
                }
            }
        }
    }

    @Test
    void aResultStreamsAndSurvivesAnotherStatementOnItsConnection() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE big (id INTEGER PRIMARY KEY, pad TEXT)");
            s.executeUpdate("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
                    + "INSERT INTO big SELECT i, printf('%.200c', 'x') FROM n");
            try (Statement reader = c.createStatement(); ResultSet rs = reader.executeQuery("SELECT id FROM big ORDER BY id")) {
                assertThat(rs.isBeforeFirst()).isTrue();
                long seen = 0;
                for (int i = 0; i < 10 && rs.next(); i++) {
                    seen += rs.getLong(1);
                }
                // The connection carries one request at a time: the rest of the result is read for the reader first.
                try (Statement writer = c.createStatement()) {
                    assertThat(writer.executeUpdate("INSERT INTO big VALUES (20001, 'late')")).isEqualTo(1);
                }
                int rows = 10;
                long last = 0;
                while (rs.next()) {
                    rows++;
                    last = rs.getLong(1);
                    seen += last;
                }
                assertThat(rows).isEqualTo(20000);
                assertThat(last).isEqualTo(20000);
                assertThat(seen).isEqualTo(20000L * 20001 / 2);
                assertThat(rs.isAfterLast()).isTrue();
            }
            s.setMaxRows(5);
            try (ResultSet rs = s.executeQuery("SELECT id FROM big")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                    assertThat(rs.isLast()).isEqualTo(n == 5);
                }
                assertThat(n).isEqualTo(5);
            }
            s.setMaxRows(0);
            try (ResultSet first = s.executeQuery("SELECT 1")) {
                s.executeQuery("SELECT 2").close();
                assertThat(first.isClosed()).as("running a statement closes its previous result set").isTrue();
            }
        }
    }

    @Test
    void aFailingBatchReportsWhatRanBeforeIt() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE batch (id INTEGER PRIMARY KEY)");
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO batch VALUES (?)")) {
                for (int id : new int[] {1, 2, 2, 3}) {
                    p.setInt(1, id);
                    p.addBatch();
                }
                assertThatThrownBy(p::executeBatch).isInstanceOfSatisfying(BatchUpdateException.class, e -> {
                    assertThat(e.getUpdateCounts()).containsExactly(1, 1);
                    assertThat(e.getMessage()).contains("batch entry 3 of 4").contains("UNIQUE");
                    assertThat(e.getSQLState()).isEqualTo("23000");
                });
                p.setInt(1, 10);
                p.addBatch();
                p.setInt(1, 11);
                p.addBatch();
                assertThat(p.executeBatch()).containsExactly(1, 1);
                try (ResultSet keys = p.getGeneratedKeys()) {
                    List<Long> ids = new ArrayList<>();
                    while (keys.next()) {
                        ids.add(keys.getLong(1));
                    }
                    assertThat(ids).containsExactly(10L, 11L);
                }
            }
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("UPDATE batch SET id = id + 100 WHERE id = 1")).isEqualTo(1);
                try (ResultSet keys = s.getGeneratedKeys()) {
                    assertThat(keys.next()).as("an UPDATE generates no key").isFalse();
                }
            }
        }
    }

    @Test
    void aQueryTimeoutStopsWaitingAndTheConnectionRecovers() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            assertThatThrownBy(() -> s.executeQuery("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    + "WHERE i < 1000000000) SELECT count(*) FROM n"))
                    .isInstanceOf(SQLTimeoutException.class).hasMessageContaining("query timeout of 1 s");
            assertThatThrownBy(() -> s.setQueryTimeout(-1)).hasMessageContaining(">= 0");
            try (ResultSet rs = s.executeQuery("SELECT 5")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(5);
            }
        }
    }

    @Test
    void aTransactionLostWithItsLeaderFailsItsLaterStatementsUntilRolledBack() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE lost (x)");
            }
            c.setAutoCommit(false);
            for (boolean acknowledgedByCommit : List.of(true, false)) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO lost VALUES (1)");
                    moveLeadership(); // the new leader never saw the transaction
                    assertThatThrownBy(() -> s.executeUpdate("INSERT INTO lost VALUES (2)"))
                            .isInstanceOf(SQLTransactionRollbackException.class);
                    // Going on would run this in a new transaction, as if the first insert had never been.
                    assertThatThrownBy(() -> s.executeUpdate("INSERT INTO lost VALUES (3)"))
                            .isInstanceOfSatisfying(SQLTransactionRollbackException.class, e -> assertThat(e.getSQLState()).isEqualTo("40001"))
                            .hasMessageContaining("the transaction was rolled back (").hasMessageContaining("call rollback()");
                    if (acknowledgedByCommit) {
                        assertThatThrownBy(c::commit).isInstanceOf(SQLTransactionRollbackException.class).hasMessageContaining("cannot commit");
                    } else {
                        c.rollback();
                    }
                    s.executeUpdate("INSERT INTO lost VALUES (4)"); // the loss was acknowledged: a new transaction
                    c.commit();
                }
            }
            try (Statement s = other.createStatement(); ResultSet rs = s.executeQuery("SELECT group_concat(x) FROM lost")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("4,4");
            }
        }
    }

    @Test
    void aQueryTimeoutStopsTheQueryAndTheTransactionGoesOn() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE kept (x)");
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO kept VALUES (1)");
                s.setQueryTimeout(1);
                assertThatThrownBy(() -> s.executeQuery("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                        + "WHERE i < 1000000000) SELECT count(*) FROM n")).isInstanceOf(SQLTimeoutException.class)
                        .hasMessageContaining("query timeout of 1 s expired: interrupted");
                s.executeUpdate("INSERT INTO kept VALUES (2)");
                c.commit();
            }
            assertThat(count(other, "kept")).isEqualTo(2);
        }
    }

    private static void moveLeadership() throws Exception {
        int leader = cluster.leader();
        int next = (leader + 1) % 3;
        cluster.engine(leader).transfer(next + 1).get(10, TimeUnit.SECONDS);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> cluster.engine(next).isLeader());
    }

    @Test
    void aReadOnlyConnectionRefusesWritesAndNullDatesReadAsNull() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE ro (d DATETIME)");
                s.executeUpdate("INSERT INTO ro VALUES (NULL)");
            }
            c.setReadOnly(true);
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO ro VALUES ('2026-01-01')")).hasMessageContaining("read-only");
                try (ResultSet rs = s.executeQuery("SELECT d FROM ro")) {
                    rs.next();
                    assertThat(rs.getObject(1)).isNull();
                    assertThat(rs.wasNull()).isTrue();
                    assertThat(rs.getTimestamp(1)).isNull();
                }
            }
            assertThatThrownBy(() -> c.setTransactionIsolation(12345)).hasMessageContaining("isolation level");
        }
    }

    @Test
    void aTransactionLostWithItsLeaderIsReportedAndNothingOfItIsRetriedAlone() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE moved (v INTEGER)");
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO moved VALUES (1)");
                int leader = cluster.leader();
                int next = (leader + 1) % 3;
                cluster.engine(leader).transfer(next + 1).get(10, TimeUnit.SECONDS);
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> cluster.engine(next).isLeader());
                // The second insert must not run on the new leader outside the transaction the first began.
                assertThatThrownBy(() -> {
                    s.executeUpdate("INSERT INTO moved VALUES (2)");
                    c.commit();
                }).isInstanceOf(SQLException.class);
                c.rollback();
                s.executeUpdate("INSERT INTO moved VALUES (3)");
                c.commit();
            }
            c.setAutoCommit(true);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT group_concat(v) FROM moved")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("3");
            }
        }
    }

    @Test
    void perConnectionPragmasHoldForTheirConnectionAndOutliveALeaderChange() throws Exception {
        try (Connection fromUrl = DriverManager.getConnection(url + "&Foreign_Keys=on");
             Connection fromSql = DriverManager.getConnection(url);
             Connection plain = DriverManager.getConnection(url)) {
            try (Statement s = plain.createStatement()) {
                s.executeUpdate("CREATE TABLE owner (id INTEGER PRIMARY KEY)");
                s.executeUpdate("CREATE TABLE pet (id INTEGER PRIMARY KEY, owner INTEGER REFERENCES owner(id))");
            }
            try (Statement s = fromSql.createStatement()) {
                s.execute("PRAGMA main.foreign_keys(1)"); // any spelling SQLite takes
            }
            for (int round = 0; round < 2; round++) {
                int id = round * 10;
                for (Connection enforcing : List.of(fromUrl, fromSql)) {
                    int pet = ++id;
                    assertThatThrownBy(() -> enforcing.createStatement().executeUpdate("INSERT INTO pet VALUES (" + pet + ", 99)"))
                            .as("round %d", round).hasMessageContaining("FOREIGN KEY constraint failed");
                }
                try (Statement s = plain.createStatement()) {
                    s.executeUpdate("INSERT INTO pet VALUES (" + (++id) + ", 99)"); // this connection never asked
                }
                if (round == 0) {
                    int leader = cluster.leader();
                    int next = (leader + 1) % 3;
                    cluster.engine(leader).transfer(next + 1).get(10, TimeUnit.SECONDS);
                    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> cluster.engine(next).isLeader());
                }
            }
            assertThat(count(plain, "pet")).isEqualTo(2);
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url + "&foreign_keys=maybe"))
                .hasMessageContaining("foreign_keys must be true or false");
    }

    @Test
    void triggersAndSavepointsInTransactionsCommitWhatTheyShould() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE trig_t (a INTEGER)");
                s.executeUpdate("CREATE TABLE trig_log (a INTEGER)");
                s.executeUpdate("CREATE TRIGGER trig_tr AFTER INSERT ON trig_t BEGIN INSERT INTO trig_log VALUES (new.a); END");
                s.executeUpdate("INSERT INTO trig_t VALUES (1)");
            }
            c.commit();
            c.setAutoCommit(true);
            assertThat(count(c, "trig_log")).as("the trigger, created in a committed transaction, fired").isEqualTo(1);
            try (Statement s = c.createStatement()) {
                s.execute("SAVEPOINT a");
                s.executeUpdate("INSERT INTO trig_t VALUES (2)");
                s.execute("RELEASE a"); // commits: the savepoint began the transaction
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO trig_t VALUES (3)");
            }
            c.rollback();
            assertThat(count(c, "trig_t")).as("2 committed by RELEASE, 3 rolled back").isEqualTo(2);
        }
    }

    @Test
    void aPreparedStatementRefusesOtherSqlAndAbortDoesNotWaitForARunningQuery() throws Exception {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement p = c.prepareStatement("SELECT :1 + 1")) {
            p.setInt(1, 41);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
            assertThatThrownBy(() -> p.executeQuery("SELECT 2")).hasMessageContaining("PreparedStatement");
            c.setReadOnly(true);
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute("PRAGMA user_version(77)")).hasMessageContaining("read-only");
            }
        }
        Connection busy = DriverManager.getConnection(url);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> endless = pool.submit(() -> {
                try (Statement s = busy.createStatement()) {
                    s.executeQuery("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000) "
                            + "SELECT count(*) FROM n");
                }
                return null;
            });
            Thread.sleep(300);
            busy.abort(Runnable::run); // returns at once, and the query's thread gets an error
            assertThat(busy.isClosed()).isTrue();
            assertThatThrownBy(() -> endless.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class);
        } finally {
            pool.shutdownNow();
        }
    }
}
