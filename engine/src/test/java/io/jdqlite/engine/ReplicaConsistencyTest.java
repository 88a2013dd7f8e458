package io.jdqlite.engine;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every replica holds the same pages: non-deterministic SQL, big transactions, VACUUM, checkpoints. */
class ReplicaConsistencyTest {
    @TempDir
    Path tmp;

    @Test
    void nonDeterministicFunctionsVacuumAndCheckpointsKeepReplicasByteIdentical() throws Exception {
        EngineConfig.Builder small = EngineConfig.builder().checkpointThresholdPages(50).snapshotThresholdEntries(100000);
        try (TestCluster c = new TestCluster(tmp, 3, 20030, small).startAll()) {
            c.exec("app", "CREATE TABLE t (id INTEGER PRIMARY KEY, r INTEGER, b BLOB, ts TEXT, u TEXT)");
            for (int i = 0; i < 200; i++) {
                c.exec("app", "INSERT INTO t (r, b, ts, u) VALUES (random(), randomblob(700), datetime('now'), hex(randomblob(8)))");
            }
            c.exec("app", "DELETE FROM t WHERE id % 3 = 0");
            c.exec("app", "VACUUM");
            c.exec("app", "INSERT INTO t (r) VALUES (random())");
            awaitApplied(c);
            Replicas.assertIdentical(c, "app");

            long checkpoints = c.leader().status().checkpoints();
            assertThat(checkpoints).as("checkpoints at a 50-page threshold").isGreaterThan(0);
            QueryResult q = c.query("app", "SELECT count(*) FROM t");
            assertThat(q.rows().get(0)[0]).isEqualTo(135L);
        }
    }

    @Test
    void aTransactionLargerThan64MiBIsSplitAcrossEntriesAndAppliedAtomically() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20040).startAll()) {
            c.exec("big", "CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)");
            // 72 MiB in one transaction (72 rows of 1 MiB random bytes).
            c.exec("big", "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 72) "
                    + "INSERT INTO blobs (data) SELECT randomblob(1048576) FROM n");
            QueryResult q = c.query("big", "SELECT count(*), sum(length(data)) FROM blobs");
            assertThat(q.rows().get(0)).containsExactly(72L, 72L * 1048576);
            awaitApplied(c);
            Replicas.assertIdentical(c, "big");
        }
    }

    @Test
    void partsOfATransactionWhoseLeaderFellAreDroppedByEveryMemberWhenTheNextTermBegins() throws Exception {
        // 64 KiB parts: a 32 MiB transaction is 512 of them, so a follower holds some for a while
        EngineConfig.Builder smallParts = EngineConfig.builder().maxEntryBytes(64 << 10);
        try (TestCluster c = new TestCluster(tmp, 3, 20450, smallParts).startAll()) {
            c.exec("big", "CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)");
            int leader = c.awaitLeader();
            long before = c.engines[leader].status().appliedIndex();
            Session s = c.engines[leader].openSession("big");
            java.util.concurrent.CompletableFuture<ExecResult> insert = s.execSql("WITH RECURSIVE n(i) AS (SELECT 1 "
                    + "UNION ALL SELECT i + 1 FROM n WHERE i < 32) INSERT INTO blobs (data) SELECT randomblob(1048576) FROM n",
                    List.of());
            List<Integer> survivors = java.util.stream.IntStream.range(0, 3).filter(i -> i != leader).boxed().toList();
            // Crash it once both survivors hold parts, or at the latest a quarter of the way through: on a loaded
            // machine followers may apply their parts after the leader has proposed the whole transaction.
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2))
                    .until(() -> survivors.stream().allMatch(i -> java.nio.file.Files.exists(spill(c, i)))
                            || c.engines[leader].status().appliedIndex() >= before + 128);
            c.engines[leader].node().crash(); // like a kill -9: the commit part is never proposed
            c.engines[leader] = null;
            assertThatThrownByFuture(insert);

            // Nobody writes "big" again: the new term alone must drop the parts, on the new leader and the follower.
            c.exec("other", "CREATE TABLE t (x)");
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(survivors).allSatisfy(i -> assertThat(spill(c, i))
                            .as("member %d's parts of the fallen leader's transaction", i + 1).doesNotExist()));

            c.start(leader); // replays the parts, then the start of the next term: drops them too
            awaitApplied(c);
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(spill(c, leader)).doesNotExist());
            QueryResult q = c.query("big", "SELECT count(*) FROM blobs");
            assertThat(q.rows().get(0)[0]).as("the transaction never committed").isEqualTo(0L);
            c.exec("big", "INSERT INTO blobs (data) VALUES (x'01')");
            awaitApplied(c);
            Replicas.assertIdentical(c, "big");
        }
    }

    private static Path spill(TestCluster c, int i) {
        return c.dir(i).resolve("db").resolve("big.sqlite-pending");
    }

    private static void assertThatThrownByFuture(java.util.concurrent.CompletableFuture<ExecResult> f) throws Exception {
        try {
            f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            throw new AssertionError("the insert whose leader crashed was acknowledged");
        } catch (java.util.concurrent.ExecutionException expected) {
            assertThat(expected.getCause()).isInstanceOf(EngineException.class);
        }
    }

    static void awaitApplied(TestCluster c) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            long commit = c.leader().status().commitIndex();
            for (Engine e : c.engines) {
                if (e != null && e.status().appliedIndex() < commit) {
                    return false;
                }
            }
            return true;
        });
    }

    static List<Object> row(QueryResult q) {
        return List.of(q.rows().get(0));
    }
}
