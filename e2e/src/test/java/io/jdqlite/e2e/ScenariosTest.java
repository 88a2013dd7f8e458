package io.jdqlite.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jdqlite.client.ClientConfig;
import io.jdqlite.client.DqliteClient;
import io.jdqlite.client.DqliteConnection;
import io.jdqlite.client.DqliteException;
import io.jdqlite.client.Rows;
import io.jdqlite.operator.api.ClusterPhase;
import io.jdqlite.operator.api.DqliteCluster;
import io.jdqlite.operator.api.DqliteClusterSpec;
import io.jdqlite.operator.api.StorageSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The end-to-end scenarios, written once against the Kubernetes API: locally (in-JVM API, real operator,
 * node pods as local processes) by default, or on kind with -Djdqlite.e2e.target=kind (e2e/kind/run.sh).
 */
class ScenariosTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private ClusterUnderTest target;

    @AfterEach
    void tearDown() throws Exception {
        if (target != null) {
            target.close();
        }
    }

    private DqliteCluster create(TestInfo info, String name, int replicas) throws Exception {
        return create(info, name, replicas, spec -> { });
    }

    private DqliteCluster create(TestInfo info, String name, int replicas,
                                 java.util.function.Consumer<DqliteClusterSpec> customize) throws Exception {
        target = ClusterUnderTest.create(info.getTestMethod().orElseThrow().getName());
        DqliteCluster c = new DqliteCluster();
        c.getMetadata().setName(name);
        c.getMetadata().setNamespace(target.namespace());
        c.getMetadata().setAnnotations(new HashMap<>());
        DqliteClusterSpec spec = new DqliteClusterSpec();
        spec.replicas = replicas;
        spec.image = System.getProperty("jdqlite.e2e.image", "jdqlite/node:0.1.0");
        spec.storage = new StorageSpec();
        spec.storage.size = "1Gi";
        customize.accept(spec);
        c.setSpec(spec);
        return target.client().resource(c).create();
    }

    private DqliteCluster get(String name) {
        return target.client().resources(DqliteCluster.class).inNamespace(target.namespace()).withName(name).get();
    }

    private void awaitRunning(String name, int members) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            DqliteCluster c = get(name);
            assertThat(c.getStatus()).isNotNull();
            assertThat(c.getStatus().phase).as("phase (%s)", c.getStatus().message).isEqualTo(ClusterPhase.Running);
            assertThat(c.getStatus().members).hasSize(members).allSatisfy(m -> assertThat(m.healthy).isTrue());
        });
    }

    private DqliteClient client(String name, int replicas) {
        return DqliteClient.create(ClientConfig.builder().addresses(target.clientAddresses(name, replicas))
                .addressTranslator(target.addressTranslator()).leaderSearchTimeout(Duration.ofSeconds(60)).build());
    }

    private static Set<Long> ids(DqliteClient client) throws DqliteException {
        Set<Long> out = new HashSet<>();
        try (DqliteConnection c = client.open("app"); Rows rows = c.query("SELECT id FROM t")) {
            while (rows.next()) {
                out.add((Long) rows.get(0));
            }
        }
        return out;
    }

    @Test
    void aThreeMemberClusterServesWritesAndReadsAndStatusNamesItsLeader(TestInfo info) throws Exception {
        create(info, "db", 3);
        awaitRunning("db", 3);
        DqliteCluster c = get("db");
        assertThat(c.getStatus().leader).as("leader in status").isNotNull();
        assertThat(c.getStatus().members).extracting(m -> m.role.name()).containsOnly("VOTER");
        try (DqliteClient client = client("db", 3); DqliteConnection conn = client.open("app")) {
            conn.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            for (long i = 1; i <= 50; i++) {
                conn.exec("INSERT INTO t VALUES (?, ?)", i, "v" + i);
            }
            assertThat(ids(client)).hasSize(50);
        }
    }

    @Test
    void killingTheLeadersNodeElectsANewLeaderAndThePodComesBack(TestInfo info) throws Exception {
        create(info, "db", 3);
        awaitRunning("db", 3);
        try (DqliteClient client = client("db", 3)) {
            try (DqliteConnection conn = client.open("app")) {
                conn.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
                conn.exec("INSERT INTO t VALUES (1)");
            }
            String leaderAddress = client.leader().address();
            String leaderPod = target.podAt(leaderAddress);
            assertThat(leaderPod).as("pod of the leader %s", leaderAddress).matches("db-[0-2]");
            target.killContainer(leaderPod);
            await().atMost(TIMEOUT).ignoreExceptions().until(() -> !client.leader().address().equals(leaderAddress));
            try (DqliteConnection conn = client.open("app")) {
                conn.exec("INSERT INTO t VALUES (2)");
            }
            awaitRunning("db", 3);
            assertThat(ids(client)).containsExactlyInAnyOrder(1L, 2L);
        }
    }

    @Test
    void scalingThreeToFiveAndBackWhileAWriterRunsKeepsEveryAcknowledgedWrite(TestInfo info) throws Exception {
        create(info, "db", 3);
        awaitRunning("db", 3);
        KubernetesClient k = target.client();
        Set<Long> acked = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        try (DqliteClient client = client("db", 3)) {
            try (DqliteConnection conn = client.open("app")) {
                conn.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
            }
            Thread writer = new Thread(() -> {
                long next = 1;
                DqliteConnection conn = null;
                while (!stop.get()) {
                    try {
                        if (conn == null || conn.isClosed()) {
                            conn = client.open("app");
                        }
                        conn.exec("INSERT INTO t VALUES (?)", next);
                        acked.add(next);
                    } catch (DqliteException e) {
                        if (conn != null) {
                            conn.close();
                        }
                        conn = null;
                    }
                    next++;
                }
                if (conn != null) {
                    conn.close();
                }
            }, "e2e-writer");
            writer.start();
            try {
                // Five replicating members: three voters and two standbys (a spare replicates nothing and
                // never passes readiness, so pods beyond voters + standbys would stay unready spares).
                editCluster(c -> {
                    c.getSpec().replicas = 5;
                    c.getSpec().standbys = 2;
                    return c;
                });
                awaitRunning("db", 5);
                editCluster(c -> {
                    c.getSpec().replicas = 3;
                    c.getSpec().standbys = 0;
                    return c;
                });
                awaitRunning("db", 3);
                long before = acked.size();
                await().atMost(TIMEOUT).until(() -> acked.size() > before + 10);
            } finally {
                stop.set(true);
                writer.join(30_000);
            }
            assertThat(acked).hasSizeGreaterThan(50);
            assertThat(ids(client)).containsAll(acked);
        }
    }

    @Test
    void deletingTheClusterRemovesWhatItOwned(TestInfo info) throws Exception {
        create(info, "db", 3);
        awaitRunning("db", 3);
        KubernetesClient k = target.client();
        String uid = get("db").getMetadata().getUid();
        assertThat(k.apps().statefulSets().inNamespace(target.namespace()).withName("db").get().getMetadata()
                .getOwnerReferences()).anySatisfy(o -> assertThat(o.getUid()).isEqualTo(uid));
        k.resources(DqliteCluster.class).inNamespace(target.namespace()).withName("db").delete();
        // The API server's garbage collector follows owner references; the in-JVM API has none, so the
        // test does its part for what the operator owns and checks that nothing is recreated.
        if (target instanceof LocalTarget) {
            k.apps().statefulSets().inNamespace(target.namespace()).withName("db").delete();
        }
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(k.apps().statefulSets().inNamespace(target.namespace()).withName("db").get()).isNull();
            assertThat(k.pods().inNamespace(target.namespace()).list().getItems()).isEmpty();
        });
    }

    @Test
    void aMemberWhoseVolumeIsLostComesBackAsANewMemberThroughASnapshot(TestInfo info) throws Exception {
        // Frequent snapshots, so the log the new member needs is already compacted into one.
        create(info, "db", 3, spec -> {
            spec.engine = new io.jdqlite.operator.api.EngineSettings();
            spec.engine.snapshotThreshold = 16L;
        });
        awaitRunning("db", 3);
        KubernetesClient k = target.client();
        try (DqliteClient client = client("db", 3)) {
            try (DqliteConnection conn = client.open("app")) {
                conn.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, pad TEXT)");
                // ~12 MiB of log: past one Raft log segment (9 MiB), so once a snapshot covers it the
                // leader purges that segment and a new member can only start from the snapshot.
                for (long i = 1; i <= 12; i++) {
                    conn.exec("INSERT INTO t VALUES (?, hex(randomblob(512 * 1024)))", i);
                }
                for (long i = 13; i <= 30; i++) {
                    conn.exec("INSERT INTO t VALUES (?, hex(randomblob(1000)))", i);
                }
            }
            Set<Long> idsBefore = get("db").getStatus().members.stream().map(m -> m.id).collect(java.util.stream.Collectors.toSet());
            String leaderPod = target.podAt(client.leader().address());
            String victim = "db-" + (Integer.parseInt(leaderPod.substring(leaderPod.lastIndexOf('-') + 1)) + 1) % 3;
            k.persistentVolumeClaims().inNamespace(target.namespace()).withName("data-" + victim).delete();
            k.pods().inNamespace(target.namespace()).withName(victim).delete();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                DqliteCluster c = get("db");
                assertThat(c.getStatus().phase).isEqualTo(ClusterPhase.Running);
                assertThat(c.getStatus().members).hasSize(3).allSatisfy(m -> assertThat(m.healthy).isTrue());
                assertThat(c.getStatus().members.stream().filter(m -> m.pod.equals(victim)).findFirst().orElseThrow().id)
                        .as("the pod came back under a new id").isNotIn(idsBefore);
            });
            assertThat(ids(client)).hasSize(30);
            if (target instanceof LocalTarget local) {
                String status = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://" + local.kubelet().ip(victim) + ":8080/admin/status")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                assertThat(status).as("the new member caught up through a snapshot").contains("\"caughtUp\":true")
                        .containsPattern("\"snapshotsInstalled\":[1-9]");
            }
        }
    }

    @Test
    void anImageChangeRollsEveryPodWithTheLeaderLastAndKeepsTheData(TestInfo info) throws Exception {
        create(info, "db", 3);
        awaitRunning("db", 3);
        KubernetesClient k = target.client();
        java.util.Map<String, String> uids = new HashMap<>();
        k.pods().inNamespace(target.namespace()).list().getItems()
                .forEach(p -> uids.put(p.getMetadata().getName(), p.getMetadata().getUid()));
        try (DqliteClient client = client("db", 3)) {
            try (DqliteConnection conn = client.open("app")) {
                conn.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
                conn.exec("INSERT INTO t VALUES (1), (2), (3)");
            }
            editCluster(c -> {
                c.getSpec().image = c.getSpec().image + "-next";
                return c;
            });
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(k.pods().inNamespace(target.namespace()).list().getItems())
                        .hasSize(3).allSatisfy(p -> assertThat(p.getMetadata().getUid()).isNotEqualTo(uids.get(p.getMetadata().getName())));
                assertThat(k.apps().statefulSets().inNamespace(target.namespace()).withName("db").get().getSpec().getTemplate()
                        .getSpec().getContainers().get(0).getImage()).endsWith("-next");
            });
            awaitRunning("db", 3);
            List<io.fabric8.kubernetes.api.model.Event> events = k.v1().events().inNamespace(target.namespace()).list().getItems();
            List<String> restarts = events.stream().filter(e -> "PodRestarted".equals(e.getReason())).map(e -> e.getMessage()).toList();
            assertThat(restarts).as("one restart per pod").hasSizeGreaterThanOrEqualTo(3);
            assertThat(events).as("leadership moved off the leader before it restarted")
                    .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("LeadershipTransferred"));
            assertThat(ids(client)).containsExactlyInAnyOrder(1L, 2L, 3L);
        }
    }

    @Test
    void aClusterThatLostTwoOfThreeVolumesIsRecoveredFromTheSurvivorThroughTheAnnotation(TestInfo info) throws Exception {
        create(info, "db", 3);
        awaitRunning("db", 3);
        KubernetesClient k = target.client();
        try (DqliteClient client = client("db", 3)) {
            try (DqliteConnection conn = client.open("app")) {
                conn.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
                for (long i = 1; i <= 20; i++) {
                    conn.exec("INSERT INTO t VALUES (?)", i);
                }
            }
            // The survivor must hold every acknowledged write: wait until all members applied the same.
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(get("db")
                    .getStatus().members).hasSize(3).extracting(m -> m.appliedIndex).doesNotContainNull().containsOnly(
                    get("db").getStatus().members.get(0).appliedIndex));
            Set<Long> idsBefore = get("db").getStatus().members.stream().map(m -> m.id).collect(java.util.stream.Collectors.toSet());
            for (String lost : List.of("db-1", "db-2")) {
                k.persistentVolumeClaims().inNamespace(target.namespace()).withName("data-" + lost).delete();
                k.pods().inNamespace(target.namespace()).withName(lost).delete();
            }
            // As a person would: annotate once the quorum loss holds. Until the old leader's lease runs out it
            // still says it leads, and an annotation on a cluster with a leader is removed (RecoveryNotNeeded).
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).during(Duration.ofSeconds(8)).untilAsserted(() ->
                    assertThat(get("db").getStatus().phase).isEqualTo(ClusterPhase.QuorumLost));

            editCluster(c -> {
                c.getMetadata().getAnnotations().put(DqliteCluster.RECOVER_FROM_ANNOTATION, "db-0");
                return c;
            });
            awaitRunning("db", 3);
            DqliteCluster recovered = get("db");
            assertThat(recovered.getMetadata().getAnnotations()).doesNotContainKey(DqliteCluster.RECOVER_FROM_ANNOTATION);
            assertThat(recovered.getStatus().members).extracting(m -> m.pod).containsExactlyInAnyOrder("db-0", "db-1", "db-2");
            assertThat(recovered.getStatus().members).filteredOn(m -> !m.pod.equals("db-0"))
                    .allSatisfy(m -> assertThat(m.id).as("a lost member returns as a new one").isNotIn(idsBefore));
            assertThat(k.v1().events().inNamespace(target.namespace()).list().getItems())
                    .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Recovered"));
            assertThat(ids(client)).hasSize(20);
            try (DqliteConnection conn = client.open("app")) {
                conn.exec("INSERT INTO t VALUES (21)");
            }
            assertThat(ids(client)).hasSize(21);
        }
    }

    /**
     * Edits the cluster as a user would with kubectl edit: the operator keeps writing the status, so an edit
     * made from an older copy can meet a conflict (409); it is made again on a fresh copy.
     */
    private void editCluster(java.util.function.UnaryOperator<DqliteCluster> change) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                target.client().resources(DqliteCluster.class).inNamespace(target.namespace()).withName("db").edit(change);
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 20) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
