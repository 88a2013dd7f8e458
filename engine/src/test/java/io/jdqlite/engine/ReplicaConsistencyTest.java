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
