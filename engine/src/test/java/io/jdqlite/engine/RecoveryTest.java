package io.jdqlite.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Crashes, restarts, lost data directories and lost quorum. */
class RecoveryTest {
    @TempDir
    Path tmp;

    @Test
    void aCrashedLeaderComesBackWithExactlyTheCommittedState() throws Exception {
        EngineConfig.Builder cfg = EngineConfig.builder().snapshotThresholdEntries(40);
        try (TestCluster c = new TestCluster(tmp, 3, 20050, cfg).startAll()) {
            c.exec("app", "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
            for (int i = 0; i < 100; i++) {
                c.exec("app", "INSERT INTO t (v) VALUES (?)", (long) i);
            }
            int leader = c.awaitLeader();
            // Writes in flight when the leader dies: each either fails or is committed.
            List<CompletableFuture<ExecResult>> inFlight = new ArrayList<>();
            Session s = c.engines[leader].openSession("app");
            for (int i = 100; i < 130; i++) {
                inFlight.add(s.execSql("INSERT INTO t (v) VALUES (?)", List.of((long) i)));
            }
            c.engines[leader].node().crash();
            c.engines[leader] = null;
            List<Long> acknowledged = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; i < inFlight.size(); i++) {
                // Every write gets an answer (a crash in this JVM must not strand a caller): acknowledged or failed.
                try {
                    inFlight.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    acknowledged.add(100L + i);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(EngineException.class);
                }
            }
            c.awaitLeader();
            c.exec("app", "INSERT INTO t (v) VALUES (1000)");
            c.start(leader);
            ReplicaConsistencyTest.awaitApplied(c);
            Replicas.assertIdentical(c, "app");
            QueryResult q = c.query("app", "SELECT v FROM t WHERE v >= 100 ORDER BY v");
            List<Long> present = q.rows().stream().map(r -> (Long) r[0]).toList();
            assertThat(present).containsAll(acknowledged).contains(1000L);
            assertThat(c.engines[leader].status().snapshotIndex()).as("snapshots were taken").isGreaterThan(0);
        }
    }

    @Test
    void aMemberWhoseDataWasWipedCatchesUpThroughASnapshot() throws Exception {
        EngineConfig.Builder cfg = EngineConfig.builder().snapshotThresholdEntries(30);
        try (TestCluster c = new TestCluster(tmp, 3, 20060, cfg).startAll()) {
            c.exec("app", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            int leader = c.awaitLeader();
            int victim = (leader + 1) % 3;
            c.stop(victim);
            // ~20 MiB of log: several segments, purged once snapshots cover them.
            for (int i = 0; i < 150; i++) {
                c.exec("app", "INSERT INTO t (v) VALUES (hex(randomblob(65536)))");
            }
            // The log was purged up to a snapshot: the empty member can only catch up by installing it.
            await().atMost(Duration.ofSeconds(20)).until(() -> c.leader().status().snapshotIndex() > 0);
            // Same identity on an empty directory is refused elsewhere (membership issue); here it is
            // started fresh as the same Raft peer to exercise install-snapshot.
            Files.walk(c.dir(victim)).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            c.start(victim);
            await().atMost(Duration.ofSeconds(30)).until(() -> c.engines[victim].status().snapshotsInstalled() > 0);
            ReplicaConsistencyTest.awaitApplied(c);
            Replicas.assertIdentical(c, "app");
        }
    }

    @Test
    void withoutQuorumAWriteTimesOutAndIsNotHalfApplied() throws Exception {
        EngineConfig.Builder cfg = EngineConfig.builder();
        try (TestCluster c = new TestCluster(tmp, 3, 20070, cfg).startAll()) {
            c.exec("app", "CREATE TABLE t (v INTEGER)");
            c.exec("app", "INSERT INTO t VALUES (1)");
            int leader = c.awaitLeader();
            for (int i = 0; i < 3; i++) {
                if (i != leader) {
                    c.stop(i);
                }
            }
            Session s = c.engines[leader].openSession("app");
            assertThatThrownBy(() -> s.execSql("INSERT INTO t VALUES (2)", List.of()).get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(EngineException.class);
            // Readers never see the uncommitted row, on any node, once a quorum is back.
            for (int i = 0; i < 3; i++) {
                if (c.engines[i] == null) {
                    c.start(i);
                }
            }
            c.awaitLeader();
            ReplicaConsistencyTest.awaitApplied(c);
            Replicas.assertIdentical(c, "app");
            QueryResult q = c.query("app", "SELECT count(*) FROM t WHERE v = 1");
            assertThat(q.rows().get(0)[0]).isEqualTo(1L);
        }
    }
}
