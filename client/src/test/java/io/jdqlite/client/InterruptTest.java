package io.jdqlite.client;

import io.jdqlite.node.gateway.InProcessCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@link DqliteConnection#interrupt} against a 3-node jdqlite cluster in this JVM (ports 27000-27099). */
class InterruptTest {
    /** Minutes of work before its single row: only an interrupt reaching the node's engine ends it sooner. */
    static final String ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000000) "
            + "SELECT count(*) FROM c";
    @TempDir
    static Path tmp;
    static InProcessCluster cluster;
    static DqliteClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = new InProcessCluster(tmp, 3, 27000);
        // long enough that the node, not this timeout, is what ends the interrupted statements below
        client = DqliteClient.create(ClientConfig.builder().addresses(cluster.addresses())
                .interruptTimeout(Duration.ofSeconds(20)).requestTimeout(Duration.ofSeconds(120)).build());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }



    static long single(DqliteConnection c, String sql) throws DqliteException {
        try (Rows r = c.query(sql)) {
            assertThat(r.next()).isTrue();
            return ((Number) r.get(0)).longValue();
        }
    }

    @Test
    void aRunningQueryStopsOnTheNodeAndTheConnectionGoesOn() throws Exception {
        try (DqliteConnection c = client.open("endless"); DqliteConnection other = client.open("endless")) {
            c.exec("CREATE TABLE t (x)"); // a committed state to read from
            c.exec("INSERT INTO t VALUES (1), (2)");
            CompletableFuture<Object> query = Background.run(() -> single(c, ENDLESS));
            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(c::interrupt);
            assertThat(Background.failureOf(query, 20)).isInstanceOfSatisfying(DqliteException.class, e -> {
                assertThat(e.getMessage()).isEqualTo("interrupted");
                assertThat(e.getSQLState()).isEqualTo("57014");
                assertThat(e.getErrorCode()).isEqualTo(9);
            });
            // The node answered (the connection is open): it sends that answer once its engine gave up the query.
            assertThat(c.isClosed()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(single(c, "SELECT count(*) FROM t")).isEqualTo(2);
            c.exec("INSERT INTO t VALUES (3)");
            assertThat(single(other, "SELECT sum(x) FROM t")).isEqualTo(6);
            assertThat(c.interrupt()).as("nothing runs").isFalse();
            assertThat(single(c, "SELECT 41 + 1")).isEqualTo(42);
        }
    }

    @Test
    void aQueryInsideATransactionStopsOnTheLeaderLoopAndTheTransactionGoesOn() throws Exception {
        try (DqliteConnection c = client.open("looped"); DqliteConnection other = client.open("looped")) {
            c.exec("CREATE TABLE t (x)");
            c.exec("BEGIN");
            c.exec("INSERT INTO t VALUES (1)");
            // Inside its transaction a session reads on the leader loop, where nothing else of the database runs
            // meanwhile: the interrupt must reach that statement, not wait for it to end.
            CompletableFuture<Object> query = Background.run(() -> single(c, ENDLESS));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(c::interrupt);
            assertThat(Background.failureOf(query, 20)).isInstanceOfSatisfying(DqliteException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(9));
            assertThat(c.isClosed()).as("the node answered the interrupt").isFalse();
            c.exec("INSERT INTO t VALUES (2)");
            c.exec("COMMIT");
            assertThat(single(other, "SELECT sum(x) FROM t")).isEqualTo(3);
        }
    }

    @Test
    void anotherClientsQueryRunsOnWhileOneIsInterrupted() throws Exception {
        try (DqliteConnection a = client.open("shared"); DqliteConnection b = client.open("shared")) {
            a.exec("CREATE TABLE t (x)");
            CompletableFuture<Object> stopped = Background.run(() -> single(a, ENDLESS));
            CompletableFuture<Object> finite = Background.run(() -> single(b,
                    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT count(*) FROM c"));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(a::interrupt);
            assertThat(Background.failureOf(stopped, 20)).hasMessage("interrupted");
            assertThat(finite.get(30, TimeUnit.SECONDS)).isEqualTo(300000L);
            assertThat(b.isClosed()).isFalse();
        }
    }

    @Test
    void aResultBeingReadStopsPagingAndTheConnectionGoesOn() throws Exception {
        try (DqliteConnection c = client.open("paged")) {
            c.exec("CREATE TABLE t (v TEXT)");
            c.exec("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 20000) "
                    + "INSERT INTO t SELECT printf('%0500d', x) FROM n"); // 10 MB: many pages
            Rows rows = c.query("SELECT v FROM t");
            assertThat(rows.next()).isTrue();
            assertThat(c.interrupt()).isTrue();
            int read = 1;
            try {
                while (rows.next()) {
                    read++;
                }
                throw new AssertionError("all " + read + " rows were read");
            } catch (DqliteException e) {
                assertThat(e.getSQLState()).isEqualTo(DqliteException.STATE_CANCELED);
            }
            assertThat(read).isLessThan(20000);
            rows.close();
            assertThat(c.isClosed()).isFalse();
            assertThat(single(c, "SELECT count(*) FROM t")).isEqualTo(20000);
        }
    }

    @Test
    void anExecRunsToItsEndAndKeepsItsResult() throws Exception {
        // jdqlite does not stop a write: the INTERRUPT is answered once the exec's RESULT is out
        try (DqliteConnection c = client.open("writes")) {
            c.exec("CREATE TABLE t (x)");
            CompletableFuture<Object> exec = Background.run(() -> c.exec(
                    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000000) INSERT INTO t SELECT x FROM n"));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(c::interrupt);
            assertThat(exec.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(ExecResult.class,
                    r -> assertThat(r.rowsAffected()).isEqualTo(1000000));
            assertThat(c.isClosed()).isFalse();
            assertThat(single(c, "SELECT count(*) FROM t")).isEqualTo(1000000);
        }
    }

    @Test
    void interruptingAnIdleOrClosedConnectionSendsNothing() throws Exception {
        DqliteConnection c = client.open("idle");
        assertThat(c.interrupt()).isFalse();
        assertThat(single(c, "SELECT 7")).isEqualTo(7);
        assertThat(c.interrupt()).isFalse();
        c.close();
        assertThat(c.interrupt()).isFalse();
        assertThatThrownBy(() -> c.query("SELECT 1")).isInstanceOf(DqliteException.class);
    }
}
