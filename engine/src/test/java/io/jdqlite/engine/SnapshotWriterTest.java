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

/** A leader's snapshot is captured in an instant and written in the background while writes and checkpoints go on. */
class SnapshotWriterTest {
    private static final int ROWS = 100;
    private static final int CHECKPOINT_PAGES = 16;

    @TempDir
    Path tmp;

    /** Three nodes that snapshot every 32 entries and checkpoint every 16 pages, with table t in app. */
    private TestCluster clusterWithTable() throws Exception {
        EngineConfig.Builder config = EngineConfig.builder().snapshotThresholdEntries(32)
                .checkpointThresholdPages(CHECKPOINT_PAGES);
        TestCluster c = new TestCluster(tmp, 3, 20090, config).startAll();
        try {
            c.exec("app", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
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
        try (TestCluster c = clusterWithTable()) {
            Engine leader = c.leader();
            Node node = leader.node();
            assertThat(leader.status().snapshotsTaken()).isZero();
            long[] appliedAfter = new long[ROWS + 1];
            long checkpointsBefore = leader.status().checkpoints();
            try (AutoCloseable held = node.snapshotWriter().holdWrites();
                 Session s = leader.openSession("app")) {
                insertRows(s, node, 1, ROWS, appliedAfter);
                // Every write was answered while the snapshot due after 32 entries waits to be written.
                assertThat(node.snapshotWriter().isWriting()).as("a snapshot waits at the gate").isTrue();
                assertThat(leader.status().snapshotsTaken()).isZero();
                // ... and the leader went on checkpointing: the snapshot saves the pages each checkpoint overwrites.
                assertThat(leader.status().checkpoints() - checkpointsBefore).as("checkpoints meanwhile").isGreaterThan(2);
            }
            long rows = assertSnapshotHoldsExactlyTheWritesUpToItsIndex(leader, appliedAfter, ROWS);
            assertThat(rows).as("taken when it was due, not when it was written").isLessThan(ROWS);
            try (Stream<Path> left = Files.list(node.snapshotStore().workDir())) {
                assertThat(left).as("saved pages are deleted").isEmpty();
            }
            assertReplicasIdentical(c);
        }
    }

    @Test
    void aDatabaseThatShrinksWhileItsSnapshotIsWrittenIsCapturedAsItWas() throws Exception {
        try (TestCluster c = clusterWithTable()) {
            Engine leader = c.leader();
            Node node = leader.node();
            int written = 40;
            long[] appliedAfter = new long[written + 1];
            try (AutoCloseable held = node.snapshotWriter().holdWrites();
                 Session s = leader.openSession("app")) {
                insertRows(s, node, 1, written, appliedAfter);
                assertThat(node.snapshotWriter().isWriting()).isTrue();
                long checkpoints = leader.status().checkpoints();
                s.execSql("DELETE FROM t", List.of()).get(10, TimeUnit.SECONDS);
                s.execSql("VACUUM", List.of()).get(10, TimeUnit.SECONDS);
                for (int i = 1; leader.status().checkpoints() == checkpoints; i++) {
                    s.execSql("INSERT INTO t (id, v) VALUES (?, 'after')", List.of(1000 + i)).get(10, TimeUnit.SECONDS);
                }
                long fileNow = Files.size(node.database("app").file());
                assertThat(fileNow).as("the checkpoint after VACUUM cut the main file").isLessThan(10 * 4096L);
            }
            long rows = assertSnapshotHoldsExactlyTheWritesUpToItsIndex(leader, appliedAfter, written);
            assertThat(rows).isGreaterThan(0);
            assertReplicasIdentical(c);
        }
    }

    @Test
    void aFollowerWritingItsSnapshotStaysCaughtUpWhileItsApplyWaits() throws Exception {
        try (TestCluster c = clusterWithTable()) {
            int leader = c.awaitLeader();
            Engine follower = c.engines[(leader + 1) % 3];
            try (AutoCloseable held = follower.node().snapshotWriter().holdWrites();
                 Session s = c.engines[leader].openSession("app")) {
                int id = 0;
                while (!follower.node().snapshotWriter().isWritingOnApplyThread()) {
                    s.execSql("INSERT INTO t (id, v) VALUES (?, 'x')", List.of(++id)).get(10, TimeUnit.SECONDS);
                }
                for (int i = 0; i < Node.CAUGHT_UP_SLACK + 50; i++) {
                    s.execSql("INSERT INTO t (id, v) VALUES (?, 'x')", List.of(++id)).get(10, TimeUnit.SECONDS);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    EngineStatus st = follower.status();
                    return st.commitIndex() - st.appliedIndex() > Node.CAUGHT_UP_SLACK;
                });
                assertThat(follower.status().caughtUp()).as("its log keeps up while its apply waits").isTrue();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> follower.status().snapshotsTaken() > 0);
            assertReplicasIdentical(c);
        }
    }

    private static void assertReplicasIdentical(TestCluster c) throws Exception {
        ReplicaConsistencyTest.awaitApplied(c);
        Replicas.assertIdentical(c, "app");
    }

    /** Inserts rows from..to one write at a time, noting the applied index after each. */
    private static void insertRows(Session s, Node node, int from, int to, long[] appliedAfter) throws Exception {
        appliedAfter[from - 1] = appliedIndex(node, "app");
        for (int i = from; i <= to; i++) {
            s.execSql("INSERT INTO t (id, v) VALUES (?, ?)", List.of(i, "v".repeat(2000))).get(10, TimeUnit.SECONDS);
            appliedAfter[i] = appliedIndex(node, "app");
        }
    }

    /**
     * Waits for the leader's first snapshot and checks it holds rows 1..n, exactly the writes applied by
     * its index; returns n.
     */
    private long assertSnapshotHoldsExactlyTheWritesUpToItsIndex(Engine leader, long[] appliedAfter, int writes)
            throws Exception {
        Node node = leader.node();
        await().atMost(Duration.ofSeconds(20)).until(() -> leader.status().snapshotsTaken() > 0);
        SnapshotStore.Snapshot snap = node.snapshotStore().latest();
        long at = snap.termIndex().getIndex();
        assertThat(leader.status().snapshotIndex()).isEqualTo(at);

        Path copy = tmp.resolve("snapshot-copy-" + at + ".sqlite");
        Files.copy(snap.dir().resolve(DatabaseNames.toFileName("app")), copy);
        assertThat(Replicas.integrityCheck(copy)).isEqualTo("ok");
        List<Object> counted = Replicas.rows(copy, "SELECT count(*), coalesce(max(id), 0) FROM t").get(0);
        long rows = ((Number) counted.get(0)).longValue();
        assertThat(((Number) counted.get(1)).longValue()).as("rows 1..n").isEqualTo(rows);
        // Write i's entry lies in (appliedAfter[i-1], appliedAfter[i]]: the snapshot has every write
        // applied by its index and none that came after it.
        for (int i = 1; i <= writes; i++) {
            if (appliedAfter[i] <= at) {
                assertThat(rows).as("write %d (applied by %d) is in the snapshot at %d", i, appliedAfter[i], at)
                        .isGreaterThanOrEqualTo(i);
            }
            if (appliedAfter[i - 1] >= at) {
                assertThat(rows).as("write %d (after %d) is not in the snapshot at %d", i, appliedAfter[i - 1], at)
                        .isLessThan(i);
            }
        }
        return rows;
    }

    @Test
    void aSnapshotBeingWrittenWhenLeadershipMovesIsDroppedAndLeavesNothingBehind() throws Exception {
        try (TestCluster c = clusterWithTable()) {
            int first = c.awaitLeader();
            Node node = c.engines[first].node();
            try (AutoCloseable held = node.snapshotWriter().holdWrites()) {
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
            assertReplicasIdentical(c);
        }
    }

    @Test
    void aDatabaseUnchangedSinceTheLastSnapshotIsLinkedNotCopiedAndARestartRestoresIt() throws Exception {
        try (TestCluster c = clusterWithTable()) {
            c.exec("idle", "CREATE TABLE k (id INTEGER PRIMARY KEY, v TEXT)");
            for (int i = 1; i <= 5; i++) {
                c.exec("idle", "INSERT INTO k (id, v) VALUES (?, 'kept')", i);
            }
            // Writes to app alone until every node holds two snapshots taken after idle's last write.
            long idleWritten = c.leader().status().commitIndex();
            int id = 0;
            while (!everyNodeHasTwoSnapshotsAfter(c, idleWritten)) {
                c.exec("app", "INSERT INTO t (id, v) VALUES (?, 'x')", ++id);
            }
            String idle = DatabaseNames.toFileName("idle");
            String app = DatabaseNames.toFileName("app");
            for (Engine e : c.engines) {
                List<Path> two = newestTwoSnapshots(e.node());
                assertThat(Files.isSameFile(two.get(0).resolve(idle), two.get(1).resolve(idle)))
                        .as("idle's file is the earlier snapshot's, linked").isTrue();
                assertThat(Files.isSameFile(two.get(0).resolve(app), two.get(1).resolve(app)))
                        .as("app changed: copied anew").isFalse();
                assertThat(rowsOfCopy(two.get(0).resolve(idle), "SELECT count(*) FROM k").get(0).get(0)).isEqualTo(5);
            }

            // A node restarts from its latest snapshot (and the log after it); idle is as it was, and a
            // write to it after the restart is copied into the next snapshot, not linked.
            int follower = (c.awaitLeader() + 1) % 3;
            c.stop(follower);
            c.start(follower);
            c.exec("idle", "INSERT INTO k (id, v) VALUES (6, 'after')");
            long idleWrittenAgain = c.leader().status().commitIndex();
            Engine restarted = c.engines[follower];
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger(100_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.exec("app", "INSERT INTO t (id, v) VALUES (?, 'y')", next.incrementAndGet());
                SnapshotStore.Snapshot s = restarted.node().snapshotStore().latest();
                return s != null && s.termIndex().getIndex() > idleWrittenAgain;
            });
            Path latest = restarted.node().snapshotStore().latest().dir();
            assertThat(rowsOfCopy(latest.resolve(idle), "SELECT count(*), max(id) FROM k").get(0))
                    .containsExactly(6, 6);
            assertReplicasIdentical(c);
            ReplicaConsistencyTest.awaitApplied(c);
            Replicas.assertIdentical(c, "idle");
        }
    }

    @Test
    void aLargeDatabaseIsNotCopiedAgainAfterEveryFewSmallWrites() throws Exception {
        try (TestCluster c = clusterWithTable()) {
            // ~8 MB in one statement, then enough small writes for Ratis to ask for a snapshot (32 entries).
            c.exec("app", "INSERT INTO t (id, v) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                    + " WHERE i < 2000) SELECT i, hex(randomblob(2000)) FROM n");
            int id = 10_000;
            while (!java.util.Arrays.stream(c.engines).allMatch(e -> e.status().snapshotsTaken() > 0)) {
                c.exec("app", "INSERT INTO t (id, v) VALUES (?, 'x')", ++id);
            }
            long[] before = java.util.Arrays.stream(c.engines).mapToLong(e -> e.status().snapshotsTaken()).toArray();
            // 100 small writes: three times the entry threshold, far less log than half the database.
            for (int i = 0; i < 100; i++) {
                c.exec("app", "INSERT INTO t (id, v) VALUES (?, 'x')", ++id);
            }
            ReplicaConsistencyTest.awaitApplied(c);
            for (int n = 0; n < 3; n++) {
                assertThat(c.engines[n].status().snapshotsTaken()).as("node %d took no snapshot", n + 1).isEqualTo(before[n]);
            }
            // Once the log since the last snapshot holds half the database, snapshots are taken again.
            int small = 100;
            while (!allTookMore(c, before)) {
                c.exec("app", "INSERT INTO t (id, v) VALUES (?, 'x')", ++id);
                small++;
                assertThat(small).as("a snapshot comes once ~4 MB are logged").isLessThan(5_000);
            }
            assertReplicasIdentical(c);
        }
    }

    private static boolean allTookMore(TestCluster c, long[] before) {
        for (int n = 0; n < 3; n++) {
            if (c.engines[n].status().snapshotsTaken() <= before[n]) {
                return false;
            }
        }
        return true;
    }

    private static boolean everyNodeHasTwoSnapshotsAfter(TestCluster c, long index) throws Exception {
        for (Engine e : c.engines) {
            List<Path> two = newestTwoSnapshots(e.node());
            if (two.size() < 2 || indexOf(two.get(1)) <= index) {
                return false;
            }
        }
        return true;
    }

    /** The node's complete snapshot directories, newest first. */
    private static List<Path> newestTwoSnapshots(Node node) throws Exception {
        try (Stream<Path> s = Files.list(node.snapshotStore().snapshotsDir())) {
            // A snapshot being published is a hidden ".<term>_<index>.tmp" directory that already holds its
            // manifest just before the rename: not complete yet.
            return s.filter(d -> !d.getFileName().toString().startsWith("."))
                    .filter(d -> Files.exists(d.resolve(SnapshotStore.MANIFEST)))
                    .sorted(java.util.Comparator.comparingLong(SnapshotWriterTest::indexOf).reversed())
                    .limit(2).toList();
        }
    }

    /** The Raft index in a snapshot directory's name ({@code <term>_<index>}). */
    private static long indexOf(Path dir) {
        String n = dir.getFileName().toString();
        return Long.parseLong(n.substring(n.indexOf('_') + 1));
    }

    /** Reads a copy: SQLite opening a snapshot's file itself could write beside it. */
    private List<List<Object>> rowsOfCopy(Path file, String sql) throws Exception {
        Path copy = Files.createTempFile(tmp, "read", ".sqlite");
        Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return Replicas.rows(copy, sql);
    }
}
