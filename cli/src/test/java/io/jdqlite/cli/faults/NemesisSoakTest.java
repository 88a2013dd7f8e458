package io.jdqlite.cli.faults;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A long run of random faults under writes and reads, outside the default suite ({@code -Psoak} in cli/,
 * {@code -Djdqlite.soak.minutes}, 10 by default; {@code -Djdqlite.soak.seed} repeats a run's fault
 * sequence). Each round does one fault to three node processes in their own network namespaces (kill -9 or
 * SIGTERM of the leader or a follower, the leader or a follower cut off, two nodes killed at once), undoes it
 * after a few seconds, and then requires writes to go on and every node to apply what the leader had
 * committed, within a minute. At the end: every acknowledged write present, nothing a reader saw lost, and
 * the replicas identical. Node logs are kept under target/faults/.
 */
@Tag("soak")
@ExtendWith(NodeLogsOnFailure.class)
class NemesisSoakTest {
    private static final Path NODE_JAR = Path.of(System.getProperty("user.dir")).getParent()
            .resolve("node/target/quarkus-app/quarkus-run.jar");
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    private enum Fault {
        KILL_LEADER, KILL_FOLLOWER, SIGTERM_LEADER, SIGTERM_FOLLOWER, CUT_OFF_LEADER, CUT_OFF_FOLLOWER, KILL_TWO;

        /** Whether undoing it starts a node process again (its start-up is then part of the recovery time). */
        boolean restarts() {
            return this != CUT_OFF_LEADER && this != CUT_OFF_FOLLOWER;
        }
    }

    @TempDir
    Path tmp;
    private NetnsCluster cluster;
    private Path logs;

    @BeforeEach
    void requireNamespaces(TestInfo info) {
        assertThat(NetnsCluster.available()).as("the soak needs root and iproute2 (network namespaces)").isTrue();
        assertThat(NODE_JAR).as("node application (mvn install -pl node)").exists();
        logs = NodeLogsOnFailure.logsOf(info.getTestMethod().orElseThrow().getName());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster.copyLogsTo(logs);
        }
    }

    @Test
    void randomFaultsUnderLoadLoseNothingAndLeaveNoMemberBehind() throws Exception {
        long minutes = Long.getLong("jdqlite.soak.minutes", 10);
        long seed = Long.getLong("jdqlite.soak.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("soak: %d min, seed %d (-Djdqlite.soak.seed=%d repeats this fault sequence)%n", minutes, seed, seed);
        // Frequent snapshots, so that faults also meet snapshotting, purged logs and snapshot installs.
        cluster = new NetnsCluster(tmp, NODE_JAR, 35, 3, Map.of("JDQLITE_SNAPSHOT_THRESHOLD", "512"));
        cluster.startAll();
        cluster.awaitAllReady();
        Workload.createSchema(cluster.addresses());
        long deadline = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
        int round = 0;
        try (Workload w = new Workload(cluster.addresses(), 4, 2).start()) {
            while (System.nanoTime() < deadline) {
                round++;
                Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
                long downMillis = 1_000 + random.nextInt(7_000);
                int leader = ClusterChecks.leader(cluster);
                int follower = (leader + 1 + random.nextInt(2)) % 3;
                long before = w.acknowledged.size();
                long started = System.nanoTime();
                apply(fault, leader, follower, downMillis);
                try {
                    await().atMost(RECOVERY).until(() -> w.acknowledged.size() > before + 50);
                    ClusterChecks.awaitEveryNodeApplied(cluster, RECOVERY);
                } catch (Throwable e) {
                    cluster.dumpThreads(logs);
                    throw new AssertionError("round " + round + " (" + fault + ", leader node " + (leader + 1)
                            + ", follower node " + (follower + 1) + ", " + downMillis + " ms): no recovery; seed " + seed, e);
                }
                System.out.printf("soak round %d: %s (leader node %d, follower node %d, %d ms); writes and every node "
                                + "caught up %d ms after it was undone%s; %d writes acknowledged, "
                                + "%d failed attempts%n", round, fault, leader + 1, follower + 1,
                        downMillis, (System.nanoTime() - started) / 1_000_000 - downMillis,
                        fault.restarts() ? " (the restart included)" : "", w.acknowledged.size(), w.failures.get());
            }
            w.close();
            Set<Long> present = Workload.allIds(cluster.addresses());
            // Set differences: AssertJ's containsAll compares element by element, hours for 10^5 ids.
            assertThat(missingFrom(present, w.acknowledged)).as("acknowledged writes missing").isEmpty();
            assertThat(missingFrom(present, w.seen)).as("ids readers saw, missing").isEmpty();
            System.out.printf("soak: %d rounds, %d writes acknowledged, all present%n", round, w.acknowledged.size());
        }
        ClusterChecks.assertReplicasIdentical(cluster);
    }

    private static Set<Long> missingFrom(Set<Long> present, Set<Long> expected) {
        Set<Long> missing = new java.util.HashSet<>(expected);
        missing.removeAll(present);
        return missing;
    }

    private void apply(Fault fault, int leader, int follower, long downMillis) throws Exception {
        switch (fault) {
            case KILL_LEADER -> bounce(leader, downMillis, true);
            case KILL_FOLLOWER -> bounce(follower, downMillis, true);
            case SIGTERM_LEADER -> bounce(leader, downMillis, false);
            case SIGTERM_FOLLOWER -> bounce(follower, downMillis, false);
            case CUT_OFF_LEADER -> cutOff(leader, downMillis);
            case CUT_OFF_FOLLOWER -> cutOff(follower, downMillis);
            case KILL_TWO -> {
                cluster.kill(leader);
                cluster.kill(follower);
                Thread.sleep(downMillis);
                cluster.start(leader);
                cluster.start(follower);
                cluster.awaitReady(leader);
                cluster.awaitReady(follower);
            }
        }
    }

    private void bounce(int node, long downMillis, boolean kill) throws Exception {
        if (kill) {
            cluster.kill(node);
        } else {
            cluster.stop(node);
        }
        Thread.sleep(downMillis);
        cluster.start(node);
        cluster.awaitReady(node);
    }

    private void cutOff(int node, long millis) throws Exception {
        cluster.isolate(node);
        Thread.sleep(millis);
        cluster.heal(node);
    }
}
