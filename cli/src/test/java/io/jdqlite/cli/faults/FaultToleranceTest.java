package io.jdqlite.cli.faults;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
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
    private static final Pattern APPLIED = Pattern.compile("\"appliedIndex\"\\s*:\\s*(\\d+)");
    private static final Pattern LEADER = Pattern.compile("\"leader\"\\s*:\\s*true");
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
            Files.createDirectories(logs);
            for (int i = 0; i < 3; i++) {
                Path log = cluster.log(i);
                if (Files.exists(log)) {
                    Files.copy(log, logs.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private NetnsCluster start(int subnet, Map<String, String> env) throws Exception {
        cluster = new NetnsCluster(tmp, NODE_JAR, subnet, 3, env);
        cluster.startAll();
        cluster.awaitAllReady();
        Workload.createSchema(cluster.addresses());
        return cluster;
    }

    private int leader() {
        int[] found = {-1};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            for (int i = 0; i < 3; i++) {
                try {
                    if (LEADER.matcher(cluster.status(i)).find()) {
                        found[0] = i;
                        return true;
                    }
                } catch (java.io.IOException e) {
                    // that node is down: ask the others
                }
            }
            return false;
        });
        return found[0];
    }

    private static long number(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private void awaitSameAppliedIndex() {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                long a = number(APPLIED, cluster.status(0));
                return a > 0 && a == number(APPLIED, cluster.status(1)) && a == number(APPLIED, cluster.status(2));
            });
        } catch (ConditionTimeoutException e) {
            // Which member is behind, and what the leader knows of its progress (matchIndex, lag).
            StringBuilder statuses = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                String status;
                try {
                    status = cluster.status(i);
                } catch (Exception unreachable) {
                    status = "unreachable: " + unreachable;
                }
                statuses.append("\nnode ").append(i + 1).append(": ").append(status);
            }
            throw new AssertionError("the replicas did not reach the same applied index within 60 s" + statuses, e);
        }
    }

    /** Stops every node and compares the three SQLite files: same rows, integrity ok. */
    private void assertReplicasIdentical() throws Exception {
        awaitSameAppliedIndex();
        for (int i = 0; i < 3; i++) {
            cluster.stop(i);
        }
        List<List<Long>> contents = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path file = cluster.dataDir(i).resolve("db").resolve("app.sqlite");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
                    rs.next();
                    assertThat(rs.getString(1)).as("integrity of node %d", i + 1).isEqualTo("ok");
                }
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT id, length(payload) FROM t ORDER BY id")) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                contents.add(ids);
            }
        }
        assertThat(contents.get(1)).isEqualTo(contents.get(0));
        assertThat(contents.get(2)).isEqualTo(contents.get(0));
    }

    @Test
    void killingTheLeaderDuringWritesLosesNoAcknowledgedWriteAndItRejoinsIdentical() throws Exception {
        start(31, Map.of());
        Set<Long> acknowledged;
        Set<Long> seen;
        try (Workload w = new Workload(cluster.addresses(), 4, 1).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> w.acknowledged.size() > 200);
            int old = leader();
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
        assertReplicasIdentical();
    }

    @Test
    void aLeaderCutOffFromItsPeersLosesNoAcknowledgedWriteAndServesNoLostRead() throws Exception {
        start(32, Map.of());
        Set<Long> acknowledged;
        Set<Long> seen;
        int old;
        try (Workload w = new Workload(cluster.addresses(), 4, 2).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> w.acknowledged.size() > 200);
            old = leader();
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
        assertReplicasIdentical();
    }

    @Test
    void aMemberWhoseDataWasWipedCatchesUpThroughASnapshotInstall() throws Exception {
        start(33, Map.of("JDQLITE_SNAPSHOT_THRESHOLD", "64"));
        int victim = (leader() + 1) % 3;
        cluster.kill(victim);
        try (Workload w = new Workload(cluster.addresses(), 4, 0).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> w.acknowledged.size() > 1500);
        }
        cluster.wipe(victim);
        cluster.rejoin(victim);
        cluster.awaitReady(victim);
        String status = cluster.status(victim);
        assertThat(number(INSTALLED, status)).as("snapshots installed on the wiped member").isPositive();
        long oldId = victim + 1;
        assertThat(number(NODE_ID, status)).as("a new identity, never the one whose data was lost").isNotEqualTo(oldId);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> !cluster.status(leader()).matches(
                "(?s).*\\{\\s*\"id\"\\s*:\\s*" + oldId + "\\s*,.*"));
        assertReplicasIdentical();
    }

    @Test
    void aLeaderStoppedWithSigtermHandsOverLeadership() throws Exception {
        start(34, Map.of());
        try (Workload w = new Workload(cluster.addresses(), 2, 0).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> w.acknowledged.size() > 200);
            int old = leader();
            w.longestGapMillis.set(0);
            cluster.stop(old);
            long before = w.acknowledged.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> w.acknowledged.size() > before + 200);
            int now = leader();
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
