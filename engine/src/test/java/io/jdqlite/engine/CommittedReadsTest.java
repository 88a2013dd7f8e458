package io.jdqlite.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads on the leader see exactly the committed state and do not wait for writes in flight. */
class CommittedReadsTest {
    @TempDir
    Path tmp;

    @Test
    void aReadDuringALargeWriteInFlightSeesNoneOfItAndIsNotHeldBack() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20300).startAll()) {
            int leader = c.awaitLeader();
            Session writer = c.engines[leader].openSession("app");
            Session reader = c.engines[leader].openSession("app");
            writer.execSql("CREATE TABLE big (b BLOB)", List.of()).get(30, TimeUnit.SECONDS);
            // ~48 MiB in one transaction: seconds of execution and replication on this machine.
            CompletableFuture<ExecResult> big = writer.execSql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                    + " WHERE i < 48) INSERT INTO big SELECT randomblob(1048576) FROM n", List.of());
            // Each read sees all of the transaction or none of it; while it is in flight, none. (Once it is
            // committed a read may see it a moment before the writer hears back: that is still linearizable.)
            int answeredWhileInFlight = 0;
            while (!big.isDone()) {
                QueryResult q = reader.querySql("SELECT count(*) FROM big", List.of()).get(30, TimeUnit.SECONDS);
                long seen = (Long) q.rows().get(0)[0];
                assertThat(seen).as("all of the transaction or none of it").isIn(0L, 48L);
                if (seen == 0 && !big.isDone()) {
                    answeredWhileInFlight++;
                }
            }
            big.get();
            assertThat(answeredWhileInFlight).as("reads answered, without the write, while it was in flight").isPositive();
            QueryResult after = reader.querySql("SELECT count(*) FROM big", List.of()).get(30, TimeUnit.SECONDS);
            assertThat(after.rows().get(0)[0]).as("an acknowledged write is visible to the next read").isEqualTo(48L);
        }
    }

    @Test
    void concurrentReadsNeverMissAnAcknowledgedWriteAcrossCheckpoints() throws Exception {
        EngineConfig.Builder frequentCheckpoints = EngineConfig.builder().checkpointThresholdPages(40);
        try (TestCluster c = new TestCluster(tmp, 3, 20320, frequentCheckpoints).startAll()) {
            int leader = c.awaitLeader();
            Engine e = c.engines[leader];
            Session setup = e.openSession("app");
            setup.execSql("CREATE TABLE t (v INTEGER)", List.of()).get(30, TimeUnit.SECONDS);
            AtomicLong acknowledged = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                Session s = e.openSession("app");
                threads.add(new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            long v = acknowledged.get() + 1;
                            s.execSql("INSERT INTO t VALUES (?)", List.of(v)).get(30, TimeUnit.SECONDS);
                            acknowledged.accumulateAndGet(v, Math::max);
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            AtomicLong reads = new AtomicLong();
            for (int r = 0; r < 3; r++) {
                Session s = e.openSession("app");
                threads.add(new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            long floor = acknowledged.get();
                            QueryResult q = s.querySql("SELECT coalesce(max(v), 0) FROM t", List.of()).get(30, TimeUnit.SECONDS);
                            long seen = (Long) q.rows().get(0)[0];
                            assertThat(seen).as("a read after write %d was acknowledged", floor).isGreaterThanOrEqualTo(floor);
                            reads.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            threads.forEach(Thread::start);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (System.nanoTime() < end && failure.get() == null) {
                Thread.sleep(100);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join(60_000);
            }
            assertThat(failure.get()).isNull();
            assertThat(reads.get()).isPositive();
            assertThat(e.status().checkpoints()).as("checkpoints happened during the run").isPositive();
            ReplicaConsistencyTest.awaitApplied(c);
            Replicas.assertIdentical(c, "app");
        }
    }
    @Test
    void aLongReadNeitherHoldsUpWritesAcrossCheckpointsNorOutlivesItsSession() throws Exception {
        EngineConfig.Builder frequentCheckpoints = EngineConfig.builder().checkpointThresholdPages(40);
        try (TestCluster c = new TestCluster(tmp, 3, 20340, frequentCheckpoints).startAll()) {
            int leader = c.awaitLeader();
            Engine e = c.engines[leader];
            Session writer = e.openSession("app");
            writer.execSql("CREATE TABLE t (b BLOB)", List.of()).get(30, TimeUnit.SECONDS);
            Session longReader = e.openSession("app");
            // Minutes of work on a committed reader, holding its read transaction all along.
            CompletableFuture<QueryResult> endless = longReader.querySql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                    + "SELECT i + 1 FROM n WHERE i < 10000000000) SELECT count(*) FROM n", List.of());
            Thread.sleep(300);
            assertThat(endless).isNotDone();
            // Enough pages for several checkpoints: each must be put off, not wait for the read.
            for (int i = 0; i < 60; i++) {
                writer.execSql("INSERT INTO t VALUES (randomblob(8192))", List.of()).get(20, TimeUnit.SECONDS);
            }
            QueryResult q = writer.querySql("SELECT count(*) FROM t", List.of()).get(20, TimeUnit.SECONDS);
            assertThat(q.rows().get(0)[0]).isEqualTo(60L);
            assertThat(endless).isNotDone();
            longReader.close(); // its client went away: the read stops
            assertThatThrownBy(() -> endless.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(EngineException.class)
                    .hasMessageContaining("interrupted");
        }
    }

    @Test
    void longQueriesLeaveTheOtherReadsToRun() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20610).startAll()) {
            int leader = c.awaitLeader();
            Engine e = c.engines[leader];
            Session app = e.openSession("app");
            app.execSql("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1)", List.of()).get(30, TimeUnit.SECONDS);
            List<Session> analysts = List.of(e.openSession("app"), e.openSession("app"));
            List<CompletableFuture<QueryResult>> endless = new ArrayList<>();
            for (Session s : analysts) {
                endless.add(s.querySql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000) "
                        + "SELECT count(*) FROM n", List.of()));
            }
            Thread.sleep(300);
            for (int i = 0; i < 20; i++) {
                if (i % 5 == 4) {
                    app.execSql("INSERT INTO t VALUES (?)", List.of((long) i)).get(20, TimeUnit.SECONDS);
                }
                QueryResult q = app.querySql("SELECT max(v) FROM t", List.of()).get(20, TimeUnit.SECONDS);
                assertThat(q.rows().get(0)[0]).isEqualTo(i < 4 ? 1L : (long) (i - (i - 4) % 5));
            }
            assertThat(endless).allSatisfy(f -> assertThat(f).as("the long queries still run").isNotDone());
            analysts.forEach(Session::close);
            for (CompletableFuture<QueryResult> f : endless) {
                assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).hasMessageContaining("interrupted");
            }
        }
    }

    @Test
    void aBatchThatFailsBeforeItsFramesAreProposedIsNeitherReadNorKept() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20630).startAll()) {
            int leader = c.awaitLeader();
            Engine e = c.engines[leader];
            Session app = e.openSession("app");
            app.execSql("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1)", List.of()).get(30, TimeUnit.SECONDS);
            Session analyst = e.openSession("app");
            CompletableFuture<QueryResult> endless = analyst.querySql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                    + "SELECT i + 1 FROM n WHERE i < 10000000000) SELECT count(*) FROM n", List.of());
            Thread.sleep(300); // the current reader is busy: a read would open another one if the leader looked quiet
            Session reader = e.openSession("app");
            java.util.concurrent.atomic.AtomicReference<Object> seenInTheGap = new java.util.concurrent.atomic.AtomicReference<>();
            Node n = e.node();
            CompletableFuture<Object> failing = n.leaderOf(n.database("app")).submit((EngineSession) app, (leaderLoop, s) -> {
                try (java.sql.Statement st = leaderLoop.connection().createStatement()) {
                    st.execute("INSERT INTO t VALUES (666)"); // committed in SQLite, never to be proposed
                }
                throw new IllegalStateException("injected") {
                    @Override
                    public String getMessage() {
                        // Logged by the loop after the batch released the database lock and before it steps down.
                        if (seenInTheGap.get() == null) {
                            try {
                                seenInTheGap.set(reader.querySql("SELECT max(v) FROM t", List.of()).get(2, TimeUnit.SECONDS).rows().get(0)[0]);
                            } catch (Exception ex) {
                                seenInTheGap.set(ex.toString());
                            }
                        }
                        return "injected";
                    }
                };
            });
            assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(EngineException.class);
            // The long query's reader closed with the loop: it ends, and is not run again on the next loop.
            assertThatThrownBy(() -> endless.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(EngineException.class);
            assertThat(seenInTheGap.get()).isNotNull().isNotEqualTo(666L);
            assertThat(app.querySql("SELECT group_concat(v) FROM t", List.of()).get(30, TimeUnit.SECONDS).rows().get(0)[0]).isEqualTo("1");
            app.execSql("INSERT INTO t VALUES (7)", List.of()).get(30, TimeUnit.SECONDS);
            ReplicaConsistencyTest.awaitApplied(c);
            for (Engine each : c.engines) {
                Path f = each.node().database("app").file();
                try (java.sql.Connection x = java.sql.DriverManager.getConnection("jdbc:sqlite:file:" + f + "?mode=ro");
                     java.sql.ResultSet rs = x.createStatement().executeQuery("SELECT group_concat(v) FROM t")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("1,7");
                }
            }
        }
    }

    @Test
    void aLongStatementOnTheLeaderLoopStopsWhenItsClientLeaves() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20640).startAll()) {
            int leader = c.awaitLeader();
            Engine e = c.engines[leader];
            Session app = e.openSession("app");
            app.execSql("CREATE TABLE t (v INTEGER)", List.of()).get(30, TimeUnit.SECONDS);
            Session analyst = e.openSession("app");
            // A setting that changes answers sends this session's queries through the leader loop.
            analyst.execSql("PRAGMA reverse_unordered_selects = ON", List.of()).get(30, TimeUnit.SECONDS);
            CompletableFuture<QueryResult> endless = analyst.querySql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                    + "SELECT i + 1 FROM n WHERE i < 10000000000) SELECT count(*) FROM n", List.of());
            Thread.sleep(300);
            CompletableFuture<ExecResult> write = app.execSql("INSERT INTO t VALUES (1)", List.of());
            Thread.sleep(300);
            assertThat(write).as("the loop is busy with the long query").isNotDone();
            analyst.close();
            assertThat(write.get(30, TimeUnit.SECONDS).rowsAffected()).isEqualTo(1);
            assertThatThrownBy(() -> endless.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(EngineException.class);
        }
    }

    @Test
    void readsOneAfterAnotherDoNotPutTheCheckpointOffForever() throws Exception {
        EngineConfig.Builder frequentCheckpoints = EngineConfig.builder().checkpointThresholdPages(40);
        try (TestCluster c = new TestCluster(tmp, 3, 20350, frequentCheckpoints).startAll()) {
            int leader = c.awaitLeader();
            Engine e = c.engines[leader];
            Session writer = e.openSession("app");
            writer.execSql("CREATE TABLE t (b BLOB)", List.of()).get(30, TimeUnit.SECONDS);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> readers = new ArrayList<>();
            // Two clients whose reads (tens of milliseconds each) overlap: some read is always running.
            for (int k = 0; k < 2; k++) {
                Session r = e.openSession("app");
                Thread t = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            r.querySql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) "
                                    + "SELECT count(*) FROM n", List.of()).get(30, TimeUnit.SECONDS);
                        }
                    } catch (Throwable x) {
                        failure.compareAndSet(null, x);
                    }
                });
                readers.add(t);
                t.start();
                Thread.sleep(40);
            }
            for (int i = 0; i < 150; i++) {
                writer.execSql("INSERT INTO t VALUES (randomblob(8192))", List.of()).get(20, TimeUnit.SECONDS);
                Thread.sleep(20);
            }
            // Asked of the database itself: walking the data directory could meet a snapshot being published.
            Path wal = e.node().database("app").wal();
            long walBytes = java.nio.file.Files.size(wal);
            stop.set(true);
            for (Thread t : readers) {
                t.join();
            }
            assertThat(failure.get()).isNull();
            // 150 inserts of 3 pages each: ~450 frames without checkpoints; a checkpoint every 40 pages keeps far fewer.
            assertThat(walBytes / 4120).as("WAL frames left").isLessThan(150);
        }
    }
}
