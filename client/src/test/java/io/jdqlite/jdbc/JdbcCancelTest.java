package io.jdqlite.jdbc;

import io.jdqlite.client.Background;

import io.jdqlite.node.gateway.InProcessCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Statement.cancel() against a 3-node cluster in this JVM (ports 27010-27069). */
class JdbcCancelTest {
    /** Minutes of work before its single row: only an interrupt reaching the node's engine ends it sooner. */
    static final String ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000000) "
            + "SELECT count(*) FROM c";
    @TempDir
    static Path tmp;
    static InProcessCluster cluster;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        cluster = new InProcessCluster(tmp, 3, 27010);
        // a long interrupt timeout: the node, not the driver closing the connection, is what stops the statements
        url = "jdbc:dqlite://" + String.join(",", cluster.addresses()) + "/cancel?interruptTimeout=20s";
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }



    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    @Test
    void cancelStopsARunningQueryAndTheConnectionGoesOn() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             Connection other = DriverManager.getConnection(url); Statement o = other.createStatement()) {
            s.executeUpdate("CREATE TABLE t (x)");
            s.executeUpdate("INSERT INTO t VALUES (1), (2)");
            CompletableFuture<Object> query = Background.run(() -> s.executeQuery(ENDLESS));
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> {
                s.cancel(); // from this thread, while the statement runs in the other
                return query.isDone();
            });
            assertThat(Background.failureOf(query, 20)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("57014");
                assertThat(e.getMessage()).isEqualTo("interrupted");
            });
            assertThat(single(s, "SELECT sum(x) FROM t")).as("the same statement, on the same connection").isEqualTo(3);
            s.executeUpdate("INSERT INTO t VALUES (3)");
            assertThat(single(o, "SELECT sum(x) FROM t")).isEqualTo(6);
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void cancelStopsAResultSetBeingRead() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE big (v TEXT)");
                s.executeUpdate("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 20000) "
                        + "INSERT INTO big SELECT printf('%0500d', x) FROM n"); // 10 MB: many pages
            }
            try (PreparedStatement p = c.prepareStatement("SELECT v FROM big WHERE length(v) = ?")) {
                p.setInt(1, 500);
                ResultSet rs = p.executeQuery();
                assertThat(rs.next()).isTrue();
                p.cancel();
                int read = 1;
                try {
                    while (rs.next()) {
                        read++;
                    }
                    throw new AssertionError("all " + read + " rows were read");
                } catch (SQLException e) {
                    assertThat(e.getSQLState()).isEqualTo("57014");
                }
                assertThat(read).isLessThan(20000);
                rs.close();
                try (ResultSet again = p.executeQuery()) {
                    int n = 0;
                    while (again.next()) {
                        n++;
                    }
                    assertThat(n).isEqualTo(20000);
                }
            }
        }
    }

    @Test
    void cancelStopsOnlyItsOwnStatement() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement idle = c.createStatement();
             Statement busy = c.createStatement()) {
            idle.cancel(); // nothing runs: nothing happens
            assertThat(single(idle, "SELECT 7")).isEqualTo(7);
            idle.cancel(); // its statement is over
            CompletableFuture<Object> query = Background.run(() -> single(busy,
                    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000000) SELECT count(*) FROM n"));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
                idle.cancel(); // another statement of the same connection runs
                return query.isDone();
            });
            assertThat(query.get()).isEqualTo(2000000L);
        }
    }

    @Test
    void aCancelArrivingAsItsStatementEndsNeverStopsTheNextStatement() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement cancelled = c.createStatement();
             Statement next = c.createStatement()) {
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            CompletableFuture<Object> canceller = Background.run(() -> {
                while (!done.get()) {
                    cancelled.cancel(); // lands before, during or just after each of its statements
                }
                return null;
            });
            int nextRuns = 0;
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            try {
                while (System.nanoTime() < end) {
                    try {
                        single(cancelled, "SELECT 1");
                    } catch (SQLException e) {
                        assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("57014"); // cancelled: its right
                    }
                    assertThat(single(next, "SELECT 2")).as("run %d of the statement nobody cancelled", nextRuns)
                            .isEqualTo(2);
                    nextRuns++;
                }
            } finally {
                done.set(true);
                canceller.get();
            }
            assertThat(nextRuns).isPositive();
        }
    }
}
