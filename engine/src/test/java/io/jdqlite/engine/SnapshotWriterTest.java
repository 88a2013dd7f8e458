package io.jdqlite.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A leader's snapshot is captured in an instant and written in the background while writes go on. */
class SnapshotWriterTest {
    private static final int ROWS = 100;
    private static final int CHECKPOINT_PAGES = 16;

    @TempDir
    Path tmp;

    private static EngineConfig.Builder config() {
        return EngineConfig.builder().snapshotThresholdEntries(32).checkpointThresholdPages(CHECKPOINT_PAGES);
    }

    /**
     * The index of the last entry applied to {@code db}. A write is answered from inside its apply, which
     * holds the database's lock until its index is recorded: once the lock is ours, the index covers it.
     */
    private static long appliedIndex(Node node, String db) {
        Database d = node.database(db);
        d.lock().lock();
        try {
            return d.appliedIndex();
        } finally {
            d.lock().unlock();
        }
    }

    @Test
    void writesGoOnWhileTheLeadersSnapshotIsWrittenAndItHoldsExactlyTheStateAtItsIndex() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20090, config()).startAll()) {
            c.exec("app", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            Engine leader = c.leader();
            Node node = leader.node();
            assertThat(leader.status().snapshotsTaken()).isZero();
            long[] appliedAfter = new long[ROWS + 1];
            try (AutoCloseable held = node.snapshotWriter().holdBackgroundWrites();
                 Session s = leader.openSession("app")) {
                appliedAfter[0] = appliedIndex(node, "app");
                for (int i = 1; i <= ROWS; i++) {
                    s.execSql("INSERT INTO t (id, v) VALUES (?, ?)", List.of(i, "v".repeat(2000))).get(10, TimeUnit.SECONDS);
                    appliedAfter[i] = appliedIndex(node, "app");
                }
                // Every write was answered while the snapshot due after 32 entries waits to be written.
                assertThat(node.snapshotWriter().isWriting()).as("a snapshot waits at the gate").isTrue();
                assertThat(leader.status().snapshotsTaken()).isZero();
                assertThat(leader.status().walPages()).as("checkpoints are held back").isGreaterThan(CHECKPOINT_PAGES);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> leader.status().snapshotsTaken() > 0);
            SnapshotStore.Snapshot snap = node.snapshotStore().latest();
            long at = snap.termIndex().getIndex();
            assertThat(leader.status().snapshotIndex()).isEqualTo(at);

            Path copy = tmp.resolve("snapshot-copy.sqlite");
            Files.copy(snap.dir().resolve(DatabaseNames.toFileName("app")), copy);
            assertThat(Replicas.integrityCheck(copy)).isEqualTo("ok");
            List<Object> counted = Replicas.rows(copy, "SELECT count(*), coalesce(max(id), 0) FROM t").get(0);
            long rows = ((Number) counted.get(0)).longValue();
            assertThat(((Number) counted.get(1)).longValue()).as("rows 1..n").isEqualTo(rows);
            // Write i's entry lies in (appliedAfter[i-1], appliedAfter[i]]: the snapshot has every write
            // applied by its index and none that came after it.
            for (int i = 1; i <= ROWS; i++) {
                if (appliedAfter[i] <= at) {
                    assertThat(rows).as("write %d (applied by %d) is in the snapshot at %d", i, appliedAfter[i], at)
                            .isGreaterThanOrEqualTo(i);
                }
                if (appliedAfter[i - 1] >= at) {
                    assertThat(rows).as("write %d (after %d) is not in the snapshot at %d", i, appliedAfter[i - 1], at)
                            .isLessThan(i);
                }
            }
            assertThat(rows).as("taken when it was due, not when it was written").isLessThan(ROWS);

            // Checkpoints resume once the snapshot is written.
            for (int i = ROWS + 1; i <= ROWS + 20; i++) {
                c.exec("app", "INSERT INTO t (id, v) VALUES (?, 'x')", i);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> leader.status().walPages() <= CHECKPOINT_PAGES);
            ReplicaConsistencyTest.awaitApplied(c);
            Replicas.assertIdentical(c, "app");
        }
    }

    @Test
    void aSnapshotBeingWrittenWhenLeadershipMovesIsDroppedAndLeavesNothingBehind() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20090, config()).startAll()) {
            c.exec("app", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            int first = c.awaitLeader();
            Node node = c.engines[first].node();
            try (AutoCloseable held = node.snapshotWriter().holdBackgroundWrites()) {
                for (int i = 1; i <= 40; i++) {
                    c.exec("app", "INSERT INTO t (id, v) VALUES (?, 'x')", i);
                }
                assertThat(node.snapshotWriter().isWriting()).isTrue();
                int next = (first + 1) % 3;
                c.engines[first].transfer(next + 1).get(10, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(10)).until(() -> c.engines[next].isLeader());
                // The old leader's database stepped down: its files went back to the committed state.
                await().atMost(Duration.ofSeconds(10)).until(() -> node.database("app").leader() == null);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !node.snapshotWriter().isWriting());
            assertThat(node.snapshotWriter().dropped()).isEqualTo(1);
            try (Stream<Path> left = Files.list(node.snapshotStore().snapshotsDir())) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
            }

            // Snapshots go on: as a follower now, and on the new leader.
            for (int i = 41; i <= 120; i++) {
                c.exec("app", "INSERT INTO t (id, v) VALUES (?, 'x')", i);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> c.engines[first].status().snapshotsTaken() > 0
                    && c.leader().status().snapshotsTaken() > 0);
            ReplicaConsistencyTest.awaitApplied(c);
            Replicas.assertIdentical(c, "app");
        }
    }
}
