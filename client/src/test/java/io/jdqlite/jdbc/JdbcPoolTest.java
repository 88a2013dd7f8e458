package io.jdqlite.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jdqlite.engine.Member;
import io.jdqlite.node.gateway.InProcessCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver behind HikariCP, the pool most Java applications put in front of a JDBC driver, against a 3-node
 * cluster in this JVM (ports 23301-23353): more threads than pooled connections run transactions while
 * leadership moves, and nothing is lost or applied twice.
 */
class JdbcPoolTest {
    private static final int ACCOUNTS = 10;
    private static final int THREADS = 8;
    private static final int TRANSFERS_PER_THREAD = 40;

    @TempDir
    static Path tmp;
    static InProcessCluster cluster;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        cluster = new InProcessCluster(tmp, 3, 23300);
        url = "jdbc:dqlite://" + String.join(",", cluster.addresses()) + "/pool?leaderSearchTimeout=30s";
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void pooledConnectionsRunConcurrentTransactionsThroughALeaderChange() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(30_000);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)");
                s.executeUpdate("CREATE TABLE transfer (id INTEGER PRIMARY KEY, thread INTEGER, seq INTEGER, "
                        + "UNIQUE (thread, seq))");
                for (int i = 0; i < ACCOUNTS; i++) {
                    s.executeUpdate("INSERT INTO account VALUES (" + i + ", 100)");
                }
            }
            AtomicInteger committed = new AtomicInteger();
            AtomicInteger retried = new AtomicInteger();
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(CompletableFuture.runAsync(() -> transfers(pool, thread, committed, retried)));
            }
            await(() -> committed.get() >= THREADS * TRANSFERS_PER_THREAD / 3);
            int leader = cluster.leader();
            long next = cluster.engine(leader).members().stream().map(Member::id)
                    .filter(id -> id != leader + 1).findFirst().orElseThrow();
            cluster.engine(leader).transfer(next).get(30, TimeUnit.SECONDS);

            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

            assertThat(cluster.leader()).isNotEqualTo(leader);
            assertThat(committed).hasValue(THREADS * TRANSFERS_PER_THREAD);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                assertThat(single(s, "SELECT sum(balance) FROM account")).as("money is neither made nor lost")
                        .isEqualTo(ACCOUNTS * 100L);
                assertThat(single(s, "SELECT count(*) FROM transfer")).as("every transfer once")
                        .isEqualTo((long) THREADS * TRANSFERS_PER_THREAD);
            }
        }
    }

    /** Moves 1 between random accounts, in a transaction, until this thread's transfers are all committed. */
    private static void transfers(HikariDataSource pool, int thread, AtomicInteger committed, AtomicInteger retried) {
        Random random = new Random(thread);
        for (int seq = 0; seq < TRANSFERS_PER_THREAD; ) {
            int from = random.nextInt(ACCOUNTS);
            int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    update(c, "UPDATE account SET balance = balance - 1 WHERE id = ?", from);
                    update(c, "UPDATE account SET balance = balance + 1 WHERE id = ?", to);
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO transfer (thread, seq) VALUES (?, ?)")) {
                        p.setInt(1, thread);
                        p.setInt(2, seq);
                        p.executeUpdate();
                    }
                    c.commit();
                    committed.incrementAndGet();
                    seq++;
                } catch (SQLException e) {
                    rollbackQuietly(c);
                    if ("08007".equals(e.getSQLState())) {
                        // the outcome is unknown (the COMMIT was in flight as leadership moved): look it up, as an
                        // application does with its idempotency key
                        if (applied(pool, thread, seq)) {
                            committed.incrementAndGet();
                            seq++;
                        }
                        retried.incrementAndGet();
                        continue;
                    }
                    if (!retryable(e)) {
                        throw new IllegalStateException("transfer " + thread + "/" + seq + " failed", e);
                    }
                    retried.incrementAndGet();
                }
            } catch (SQLException e) {
                if (!retryable(e)) {
                    throw new IllegalStateException("no connection for transfer " + thread + "/" + seq, e);
                }
                retried.incrementAndGet();
            }
        }
    }

    /** Whether transfer {@code thread}/{@code seq} committed, asked until a leader answers. */
    private static boolean applied(HikariDataSource pool, int thread, int seq) {
        for (int attempt = 0; ; attempt++) {
            try (Connection c = pool.getConnection();
                 PreparedStatement p = c.prepareStatement("SELECT count(*) FROM transfer WHERE thread = ? AND seq = ?")) {
                p.setInt(1, thread);
                p.setInt(2, seq);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) == 1;
                }
            } catch (SQLException e) {
                if (attempt == 20) {
                    throw new IllegalStateException("cannot tell whether transfer " + thread + "/" + seq + " committed", e);
                }
            }
        }
    }

    /**
     * What an application retries as it is: a transaction lost with its leader (40001), a busy database, or a
     * connection that failed before its write was sent. A write whose outcome is unknown (08007) is looked up
     * first ({@link #applied}); retried blindly, a transfer applied after all would be applied twice (here the
     * UNIQUE (thread, seq) would refuse it, and the test fail).
     */
    private static boolean retryable(SQLException e) {
        return "40001".equals(e.getSQLState()) || e.getErrorCode() == 5
                || e.getSQLState() != null && e.getSQLState().startsWith("08") && !"08007".equals(e.getSQLState());
    }

    private static void update(Connection c, String sql, int id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setInt(1, id);
            assertThat(p.executeUpdate()).isEqualTo(1);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the pool replaces it
        }
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(condition);
    }
}
