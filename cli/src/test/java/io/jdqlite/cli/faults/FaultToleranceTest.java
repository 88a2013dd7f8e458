package io.jdqlite.cli.faults;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 2's multi-process tests: three node processes, each in its own network namespace, under kill -9,
 * restart, a wiped data directory, a leader cut off from its peers, and SIGTERM (handover). Every
 * acknowledged write must survive and nothing a reader saw may vanish; replicas end byte-identical in
 * content. Node logs are kept under target/faults/, and their ends printed when a test fails. The nodes log
 * Ratis' replication (log appender, follower side) at INFO, which is what a replication stall needs.
 */
@ExtendWith(NodeLogsOnFailure.class)
class FaultToleranceTest {
    private static final Path NODE_JAR = Path.of(System.getProperty("user.dir")).getParent()
            .resolve("node/target/quarkus-app/quarkus-run.jar");
    private static final Pattern NODE_ID = Pattern.compile("\"nodeId\"\\s*:\\s*(\\d+)");
    private static final Pattern INSTALLED = Pattern.compile("\"snapshotsInstalled\"\\s*:\\s*(\\d+)");

    @TempDir
    Path tmp;
    private NetnsCluster cluster;
    private Path logs;

    @BeforeEach
    void requireNamespaces(TestInfo info) {
        boolean required = Boolean.getBoolean("jdqlite.requireNetns");
        boolean available = NetnsCluster.available();
        if (required) {
            assertThat(available).as("network namespaces (root + iproute2) are required by -Djdqlite.requireNetns").isTrue();
        }
        assumeTrue(available, "needs root and iproute2 to create network namespaces");
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

    private NetnsCluster start(int subnet, Map<String, String> env) throws Exception {
        cluster = new NetnsCluster(tmp, NODE_JAR, subnet, 3, env);
        cluster.startAll();
        cluster.awaitAllReady();
        Workload.createSchema(cluster.addresses());
        return cluster;
    }

    @Test
    void killingTheLeaderDuringWritesLosesNoAcknowledgedWriteAndItRejoinsIdentical() throws Exception {
        start(31, Map.of());
        Set<Long> acknowledged;
        Set<Long> seen;
        try (Workload w = new Workload(cluster.addresses(), 4, 1).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> w.acknowledged.size() > 200);
            int old = ClusterChecks.leader(cluster);
            cluster.kill(old);
            long before = w.acknowledged.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> w.acknowledged.size() > before + 200);
            cluster.start(old);
            cluster.awaitReady(old);
            await().atMost(Duration.ofSeconds(30)).until(() -> w.acknowledged.size() > before + 400);
            w.close();
            acknowledged = w.acknowledged;
            seen = w.seen;
            System.out.printf("kill -9 leader: %d acknowledged writes, %d failed attempts, longest write gap %d ms%n",
                    acknowledged.size(), w.failures.get(), w.longestGapMillis.get());
        }
        Set<Long> present = Workload.allIds(cluster.addresses());
        assertThat(present).containsAll(acknowledged).containsAll(seen);
        ClusterChecks.assertReplicasIdentical(cluster);
    }

    @Test
    void aLeaderCutOffFromItsPeersLosesNoAcknowledgedWriteAndServesNoLostRead() throws Exception {
        start(32, Map.of());
        Set<Long> acknowledged;
        Set<Long> seen;
        int old;
        try (Workload w = new Workload(cluster.addresses(), 4, 2).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> w.acknowledged.size() > 200);
            old = ClusterChecks.leader(cluster);
            cluster.isolate(old);
            long before = w.acknowledged.size();
            // The majority side elects a leader and writes go on there.
            await().atMost(Duration.ofSeconds(40)).until(() -> w.acknowledged.size() > before + 300);
            cluster.heal(old);
            await().atMost(Duration.ofSeconds(30)).until(() -> w.acknowledged.size() > before + 500);
            w.close();
            acknowledged = w.acknowledged;
            seen = w.seen;
            System.out.printf("partitioned leader: %d acknowledged writes, %d failed attempts, longest write gap %d ms%n",
                    acknowledged.size(), w.failures.get(), w.longestGapMillis.get());
        }
        Set<Long> present = Workload.allIds(cluster.addresses());
        assertThat(present).containsAll(acknowledged);
        assertThat(present).as("ids readers saw").containsAll(seen);
        ClusterChecks.assertReplicasIdentical(cluster);
    }

    @Test
    void aMemberWhoseDataWasWipedCatchesUpThroughASnapshotInstall() throws Exception {
        start(33, Map.of("JDQLITE_SNAPSHOT_THRESHOLD", "64"));
        int victim = (ClusterChecks.leader(cluster) + 1) % 3;
        cluster.kill(victim);
        try (Workload w = new Workload(cluster.addresses(), 4, 0).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> w.acknowledged.size() > 1500);
        }
        cluster.wipe(victim);
        cluster.rejoin(victim);
        cluster.awaitReady(victim);
        String status = cluster.status(victim);
        assertThat(ClusterChecks.number(INSTALLED, status)).as("snapshots installed on the wiped member").isPositive();
        long oldId = victim + 1;
        assertThat(ClusterChecks.number(NODE_ID, status)).as("a new identity, never the one whose data was lost").isNotEqualTo(oldId);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> !cluster.status(ClusterChecks.leader(cluster)).matches(
                "(?s).*\\{\\s*\"id\"\\s*:\\s*" + oldId + "\\s*,.*"));
        ClusterChecks.assertReplicasIdentical(cluster);
    }

    @Test
    void aLeaderStoppedWithSigtermHandsOverLeadership() throws Exception {
        start(34, Map.of());
        try (Workload w = new Workload(cluster.addresses(), 2, 0).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> w.acknowledged.size() > 200);
            int old = ClusterChecks.leader(cluster);
            w.longestGapMillis.set(0);
            cluster.stop(old);
            long before = w.acknowledged.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> w.acknowledged.size() > before + 200);
            int now = ClusterChecks.leader(cluster);
            assertThat(now).isNotEqualTo(old);
            assertThat(Files.readString(cluster.log(old))).contains("handover: leadership moved");
            w.close();
            // A measurement, reported rather than asserted: the issue asks for the figure.
            System.out.printf("SIGTERM leader: longest write gap %d ms (%d failed attempts)%n",
                    w.longestGapMillis.get(), w.failures.get());
            assertThat(Workload.allIds(cluster.addresses())).containsAll(w.acknowledged);
        }
    }
}
