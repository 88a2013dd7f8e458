package io.jdqlite.operator;

import java.util.function.Consumer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.jdqlite.operator.api.ClusterPhase;
import io.jdqlite.operator.api.DqliteCluster;
import io.jdqlite.operator.api.DqliteClusterSpec;
import io.jdqlite.operator.api.EngineSettings;
import io.jdqlite.operator.api.MemberRole;
import io.jdqlite.operator.api.RecoverySpec;
import io.jdqlite.operator.api.StorageSpec;
import io.jdqlite.operator.dependent.ClusterNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator against the fabric8 mock server (CRUD mode, StatefulSet updates checked as the real API server
 * checks them) and a simulated cluster: every path of issue 5, and the failure modes an audit found.
 * One operator serves all tests; each test has its own namespace, cluster and {@link FakeCluster}.
 */
class DqliteClusterReconcilerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static KubernetesMockServer server;
    private static KubernetesClient client;
    private static Operator operator;
    private static final Map<String, ReachableAdmin> CLUSTERS = new ConcurrentHashMap<>();

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void startOperator() throws IOException {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new StrictStatefulSetDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        try (InputStream crd = new FileInputStream(Path.of(System.getProperty("jdqlite.crdsDir", "../crds"),
                "dqliteclusters.jdqlite.io-v1.yml").toFile())) {
            client.apiextensions().v1().customResourceDefinitions().load(crd).create();
        }
        PodAddressResolver byName = pod -> Optional.ofNullable(pod.getStatus()).map(s -> s.getPodIP())
                .map(ip -> pod.getMetadata().getName() + ":8080");
        OperatorSettings settings = new OperatorSettings(Duration.ofMillis(150), Duration.ofMillis(500), 100, Clock.systemUTC());
        operator = OperatorMain.create(client, (namespace, name, addresses) -> CLUSTERS.get(namespace + "/" + name),
                byName, settings);
        operator.start();
    }

    @AfterAll
    static void stopOperator() {
        operator.stop();
        client.close();
        server.destroy();
    }

    @AfterEach
    void closeControllers() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    // ---------------------------------------------------------------- create

    @Test
    void createBuildsAllDependentsAndReachesRunning() {
        Env env = newCluster(3, spec -> spec);
        DqliteCluster cluster = env.awaitPhase(ClusterPhase.Running);

        // The template records the bootstrap in the reconcile after the one that reported Running.
        StatefulSet sts = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> client.apps().statefulSets().inNamespace(env.ns).withName("db").get(),
                        s -> s.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                                .anyMatch(v -> v.getName().equals("JDQLITE_BOOTSTRAPPED") && "true".equals(v.getValue())));
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(sts.getSpec().getServiceName()).isEqualTo("db-peers");
        var container = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("jdqlite/node:0.1.0");
        var podSecurity = sts.getSpec().getTemplate().getSpec().getSecurityContext();
        assertThat(podSecurity.getRunAsNonRoot()).isTrue();
        assertThat(podSecurity.getFsGroup()).as("the data volume writable by the node's user").isEqualTo(10001L);
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        Map<String, String> envVars = new HashMap<>();
        container.getEnv().forEach(v -> envVars.put(v.getName(), v.getValue()));
        assertThat(envVars).containsEntry("JDQLITE_ADDRESS", "$(POD_NAME).db-peers." + env.ns + ".svc:9001")
                .containsEntry("JDQLITE_DATA_DIR", "/var/lib/jdqlite/data")
                .containsEntry("QUARKUS_HTTP_PORT", "8080")
                .containsEntry("JDQLITE_FOUNDERS", "3")
                .containsEntry("JDQLITE_BOOTSTRAPPED", "true")
                .containsEntry("JDQLITE_CLUSTER", "1@db-0.db-peers." + env.ns + ".svc:9001,2@db-1.db-peers." + env.ns
                        + ".svc:9001,3@db-2.db-peers." + env.ns + ".svc:9001");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(container.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("db-config");
        assertThat(sts.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
                .singleElement().satisfies(t -> assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
        assertThat(sts.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().get("storage").toString())
                .isEqualTo("1Gi");

        Service peers = client.services().inNamespace(env.ns).withName("db-peers").get();
        assertThat(peers.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(peers.getSpec().getPublishNotReadyAddresses()).isTrue();
        Service leaderSvc = client.services().inNamespace(env.ns).withName("db-leader").get();
        assertThat(leaderSvc.getSpec().getSelector()).containsEntry(ClusterNames.LABEL_LEADER, "true");
        Service clientSvc = client.services().inNamespace(env.ns).withName("db").get();
        assertThat(clientSvc.getSpec().getPorts().get(0).getPort()).isEqualTo(9001);
        ConfigMap config = client.configMaps().inNamespace(env.ns).withName("db-config").get();
        assertThat(config.getData()).containsEntry("JDQLITE_CHECKPOINT_THRESHOLD", "1000")
                .containsEntry("JDQLITE_ELECTION_TIMEOUT_MIN", "1000ms").containsEntry("JDQLITE_ELECTION_TIMEOUT_MAX", "2000ms");
        PodDisruptionBudget pdb = client.policy().v1().podDisruptionBudget().inNamespace(env.ns).withName("db").get();
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        for (HasMetadata owned : List.of(sts, peers, leaderSvc, clientSvc, config, pdb)) {
            OwnerReference ref = owned.getMetadata().getOwnerReferences().get(0);
            assertThat(ref.getKind()).isEqualTo("DqliteCluster");
            assertThat(ref.getUid()).isEqualTo(cluster.getMetadata().getUid());
        }

        assertThat(cluster.getStatus().readyReplicas).isEqualTo(3);
        assertThat(cluster.getStatus().leader).isEqualTo("db-0");
        assertThat(cluster.getStatus().observedGeneration).isEqualTo(cluster.getMetadata().getGeneration());
        assertThat(cluster.getStatus().members).extracting(m -> m.role).containsOnly(MemberRole.VOTER).hasSize(3);
        assertThat(cluster.getStatus().members).extracting(m -> m.pod).containsExactlyInAnyOrder("db-0", "db-1", "db-2");
        assertThat(condition(cluster, "Ready")).isEqualTo("True");
        assertThat(condition(cluster, "Degraded")).isEqualTo("False");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(leaderLabels(env.ns))
                .containsEntry("db-0", "true").containsEntry("db-1", "false").containsEntry("db-2", "false"));
        assertThat(eventReasons(env.ns)).contains("Bootstrapped");
        assertThat(env.fake().quorumLosses()).isEmpty();
    }

    // ---------------------------------------------------------------- scale up

    @Test
    void scaleUpAddsReadyPodsAsSparesThenPromotes() {
        Env env = newCluster(3, spec -> spec);
        env.awaitPhase(ClusterPhase.Running);
        env.edit(spec -> {
            spec.replicas = 5;
            spec.voters = 5;
        });
        DqliteCluster cluster = env.awaitStable(5);
        assertThat(cluster.getStatus().members).extracting(m -> m.role).containsOnly(MemberRole.VOTER).hasSize(5);
        List<FakeCluster.Call> calls = env.fake().calls();
        long id3 = env.fake().idOf("db-3");
        long id4 = env.fake().idOf("db-4");
        assertThat(calls).contains(new FakeCluster.Call("add", id3, "SPARE"), new FakeCluster.Call("add", id4, "SPARE"),
                new FakeCluster.Call("assign", id3, "VOTER"), new FakeCluster.Call("assign", id4, "VOTER"));
        assertThat(calls.indexOf(new FakeCluster.Call("add", id3, "SPARE")))
                .isLessThan(calls.indexOf(new FakeCluster.Call("assign", id3, "VOTER")));
        PodDisruptionBudget pdb = client.policy().v1().podDisruptionBudget().inNamespace(env.ns).withName("db").get();
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(2);
        assertThat(env.fake().quorumLosses()).isEmpty();
    }

    // ---------------------------------------------------------------- scale down

    @Test
    void scaleDownTransfersLeadershipOffARemovedPodBeforeRemovingIt() {
        Env env = newCluster(5, spec -> {
            spec.voters = 5;
            return spec;
        });
        env.awaitStable(5);
        env.fake().forceLeader("db-4");
        await().atMost(TIMEOUT).until(() -> "db-4".equals(env.get().getStatus().leader));
        long leavingLeader = env.fake().idOf("db-4");
        long leaving = env.fake().idOf("db-3");

        env.edit(spec -> {
            spec.replicas = 3;
            spec.voters = 3;
        });
        DqliteCluster cluster = env.awaitStable(3);
        assertThat(client.apps().statefulSets().inNamespace(env.ns).withName("db").get().getSpec().getReplicas()).isEqualTo(3);
        List<FakeCluster.Call> calls = env.fake().calls();
        int transfer = indexOf(calls, "transfer", -1);
        assertThat(transfer).as("leadership moved: %s", calls).isGreaterThanOrEqualTo(0);
        assertThat(calls.get(transfer).id()).isNotIn(leavingLeader, leaving);
        assertThat(transfer).isLessThan(indexOf(calls, "remove", leavingLeader));
        assertThat(indexOf(calls, "remove", leaving)).isGreaterThanOrEqualTo(0);
        assertThat(cluster.getStatus().members).extracting(m -> m.pod).containsExactlyInAnyOrder("db-0", "db-1", "db-2");
        assertThat(env.fake().roles()).hasSize(3).doesNotContainKeys(leavingLeader, leaving);
        assertThat(env.fake().quorumLosses()).isEmpty();
        assertThat(eventReasons(env.ns)).contains("LeadershipTransferred", "MemberRemoved");
    }

    // ---------------------------------------------------------------- upgrade

    @Test
    void imageChangeRollsFollowersFirstAndTheLeaderLastAfterATransfer() {
        Env env = newCluster(3, spec -> spec);
        env.awaitPhase(ClusterPhase.Running);
        String oldLeader = env.get().getStatus().leader;
        int startsBefore = env.controller.starts().size();

        env.edit(spec -> spec.image = "jdqlite/node:0.2.0");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            DqliteCluster c = env.get();
            assertThat(c.getStatus().phase).isEqualTo(ClusterPhase.Running);
            assertThat(client.pods().inNamespace(env.ns).list().getItems())
                    .allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("jdqlite/node:0.2.0"));
        });
        List<String> restarts = env.controller.starts().subList(startsBefore, env.controller.starts().size());
        assertThat(restarts).hasSize(3).endsWith(oldLeader);
        List<FakeCluster.Call> calls = env.fake().calls();
        assertThat(calls).extracting(FakeCluster.Call::op).contains("transfer");
        assertThat(env.get().getStatus().leader).isNotEqualTo(oldLeader);
        assertThat(env.fake().quorumLosses()).isEmpty();
        assertThat(eventReasons(env.ns)).contains("PodRestarted", "LeadershipTransferred");
    }

    @Test
    void engineSettingChangeUpdatesConfigMapAndRollsPods() {
        Env env = newCluster(3, spec -> spec);
        env.awaitPhase(ClusterPhase.Running);
        int startsBefore = env.controller.starts().size();
        env.edit(spec -> {
            spec.engine = new EngineSettings();
            spec.engine.checkpointThreshold = 5000;
            spec.engine.maxConnections = 300;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(client.configMaps().inNamespace(env.ns).withName("db-config").get().getData())
                    .containsEntry("JDQLITE_CHECKPOINT_THRESHOLD", "5000")
                    .containsEntry("JDQLITE_MAX_CONNECTIONS", "300");
            assertThat(env.controller.starts().size() - startsBefore).isEqualTo(3);
            assertThat(env.get().getStatus().phase).isEqualTo(ClusterPhase.Running);
        });
        assertThat(env.fake().quorumLosses()).isEmpty();
    }

    // ---------------------------------------------------------------- recovery

    @Test
    void memberWithLostVolumeReturnsAsNewMemberAndDeadIdIsRemoved() {
        Env env = newCluster(3, spec -> spec);
        env.awaitPhase(ClusterPhase.Running);
        long oldId = env.fake().idOf("db-2");
        client.persistentVolumeClaims().inNamespace(env.ns).withName("data-db-2").delete();
        client.pods().inNamespace(env.ns).withName("db-2").delete();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            long newId = env.fake().idOf("db-2");
            assertThat(newId).isNotEqualTo(oldId).isPositive();
            DqliteCluster c = env.get();
            assertThat(c.getStatus().phase).isEqualTo(ClusterPhase.Running);
            assertThat(c.getStatus().members).extracting(m -> m.id).containsExactlyInAnyOrder(1L, 2L, newId);
            assertThat(env.fake().roles()).containsEntry(newId, MemberRole.VOTER).doesNotContainKey(oldId);
        });
        List<FakeCluster.Call> calls = env.fake().calls();
        assertThat(indexOf(calls, "remove", oldId)).isLessThan(indexOf(calls, "add", env.fake().idOf("db-2")));
        assertThat(eventReasons(env.ns)).contains("MemberVolumeLost", "MemberAdded");
    }

    @Test
    void memberUnhealthyPastTheTimeoutIsReplaced() {
        Env env = newCluster(3, spec -> {
            spec.recovery = new RecoverySpec();
            spec.recovery.unhealthyTimeout = "1s";
            return spec;
        });
        env.awaitPhase(ClusterPhase.Running);
        long oldId = env.fake().idOf("db-1");
        env.controller.crash("db-1");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(env.get().getStatus().members)
                .anySatisfy(m -> {
                    assertThat(m.pod).isEqualTo("db-1");
                    assertThat(m.healthy).isFalse();
                    assertThat(m.unhealthySince).isNotNull();
                }));
        assertThat(condition(env.get(), "Degraded")).isEqualTo("True");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(env.fake().idOf("db-1")).isNotEqualTo(oldId);
            assertThat(env.get().getStatus().phase).as(env.get().getStatus().message).isEqualTo(ClusterPhase.Running);
            assertThat(env.fake().roles()).hasSize(3).doesNotContainKey(oldId);
        });
        assertThat(eventReasons(env.ns)).contains("MemberReplaced");
        assertThat(env.fake().quorumLosses()).isEmpty();
    }

    @Test
    void quorumLossIsReportedAndRecoveredThroughTheAnnotation() {
        Env env = newCluster(3, spec -> spec);
        env.awaitPhase(ClusterPhase.Running);
        env.controller.crash("db-1");
        env.controller.crash("db-2");
        DqliteCluster lost = env.awaitPhase(ClusterPhase.QuorumLost);
        assertThat(condition(lost, "Degraded")).isEqualTo("True");
        assertThat(lost.getStatus().conditions).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Degraded");
            assertThat(c.getReason()).isEqualTo("QuorumLost");
        });
        assertThat(lost.getStatus().message).contains(DqliteCluster.RECOVER_FROM_ANNOTATION);
        assertThat(eventReasons(env.ns)).contains("QuorumLost");

        env.editCluster(c -> {
            c.getMetadata().getAnnotations().put(DqliteCluster.RECOVER_FROM_ANNOTATION, "db-0");
            return c;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            DqliteCluster c = env.get();
            assertThat(c.getStatus().phase).isEqualTo(ClusterPhase.Running);
            assertThat(c.getStatus().members).hasSize(3).allSatisfy(m -> assertThat(m.healthy).isTrue());
            assertThat(c.getMetadata().getAnnotations()).doesNotContainKey(DqliteCluster.RECOVER_FROM_ANNOTATION);
            assertThat(c.getStatus().recoveringFrom).isNull();
        });
        assertThat(env.fake().roles()).containsKey(1L).doesNotContainKeys(2L, 3L);
        assertThat(eventReasons(env.ns)).contains("RecoveryStarted", "Recovered");
    }

    // ---------------------------------------------------------------- delete

    @Test
    void deleteStopsReconcilingAndLeavesGarbageCollectionToOwnerReferences() {
        Env env = newCluster(3, spec -> spec);
        DqliteCluster cluster = env.awaitPhase(ClusterPhase.Running);
        client.resources(DqliteCluster.class).inNamespace(env.ns).withName("db").delete();
        await().atMost(TIMEOUT).until(() -> env.get() == null);
        int callsAfterDelete = env.fake().calls().size();
        // the operator keeps no finalizer, and every owned object names the cluster as its controller, so the
        // API server's garbage collector removes them with it (the mock server has none: the test does it)
        assertThat(cluster.getMetadata().getFinalizers()).isNullOrEmpty();
        List<HasMetadata> owned = List.of(
                client.apps().statefulSets().inNamespace(env.ns).withName("db").get(),
                client.services().inNamespace(env.ns).withName("db-leader").get(),
                client.configMaps().inNamespace(env.ns).withName("db-config").get());
        for (HasMetadata o : owned) {
            assertThat(o.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
                assertThat(ref.getUid()).isEqualTo(cluster.getMetadata().getUid());
                assertThat(ref.getController()).isTrue();
            });
        }
        owned.forEach(o -> client.resource(o).delete());
        // nothing is recreated for the deleted cluster and no membership call follows
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(client.apps().statefulSets().inNamespace(env.ns).withName("db").get() == null).isTrue();
            assertThat(client.configMaps().inNamespace(env.ns).withName("db-config").get() == null).isTrue();
            assertThat(env.fake().calls()).hasSize(callsAfterDelete);
        });
    }

    // ---------------------------------------------------------------- failure modes

    // 1. A follower whose pod is Ready and which the leader reports caught up, but whose admin API the operator
    //    cannot reach, is declared unhealthy, removed from Raft and its volume deleted.
    @Test
    void readyCaughtUpFollowerIsNotWipedJustBecauseItsAdminApiIsUnreachable() {
        Env env = newCluster(3, spec -> {
            spec.recovery = new RecoverySpec();
            spec.recovery.unhealthyTimeout = "1s";
            return spec;
        });
        env.awaitPhase(ClusterPhase.Running);
        long id = env.fake().idOf("db-2");
        env.admin().unreachable.add("db-2");
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> {
            assertThat(env.fake().calls()).as("membership calls").noneMatch(c -> c.op().equals("remove"));
            assertThat(env.fake().idOf("db-2")).as("db-2 keeps its volume").isEqualTo(id);
        });
    }

    // 2. The operator losing reach of the admin API (all pods Ready) is reported as QuorumLost, with advice to
    //    run the destructive recovery.
    @Test
    void unreachableAdminApiOnReadyPodsIsNotReportedAsQuorumLost() {
        Env env = newCluster(3, spec -> spec);
        env.awaitPhase(ClusterPhase.Running);
        env.admin().unreachable.addAll(List.of("db-0", "db-1", "db-2"));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            DqliteCluster c = env.get();
            assertThat(c.getStatus().phase).as(c.getStatus().message).isNotEqualTo(ClusterPhase.QuorumLost);
            assertThat(eventReasons(env.ns())).doesNotContain("QuorumLost");
        });
    }

    // 3a. A rollout to an image that cannot start (typo, missing tag): once the stuck pod's member is replaced
    //     (unhealthyTimeout, 5m by default), the rollout goes on with the next follower while the configuration
    //     has only two voters: quorum lost, full outage, caused by the operator.
    @Test
    void rolloutOfAnImageThatCannotStartNeverLosesQuorum() {
        Env env = newCluster(3, spec -> {
            spec.recovery = new RecoverySpec();
            spec.recovery.unhealthyTimeout = "1s";
            return spec;
        });
        env.awaitPhase(ClusterPhase.Running);
        env.controller().breakImage("jdqlite/node:typo");
        env.edit(spec -> spec.image = "jdqlite/node:typo");
        await().atMost(TIMEOUT).until(() -> eventReasons(env.ns()).contains("MemberReplaced"));
        // The rollout must now wait (a voter short, or halted on the broken pod), pass after pass.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> {
            assertThat(eventReasons(env.ns())).doesNotContain("QuorumLost");
            assertThat(env.fake().quorumLosses()).as("quorum lost by the operator's own pod deletions").isEmpty();
        });
    }

    // 3b. The same typo fixed while the stuck pod is still a member: the fix is not rolled out, because the
    //     upgrade waits for every pod to be healthy and only a healthy pod is restarted (OnDelete).
    @Test
    void fixingABrokenImageRollsItOut() {
        Env env = newCluster(3, spec -> spec); // default unhealthyTimeout 5m
        env.awaitPhase(ClusterPhase.Running);
        env.controller().breakImage("jdqlite/node:typo");
        env.edit(spec -> spec.image = "jdqlite/node:typo");
        await().atMost(TIMEOUT).until(() -> {
            Pod p = client.pods().inNamespace(env.ns()).withName("db-2").get();
            return p != null && p.getMetadata().getDeletionTimestamp() == null
                    && "jdqlite/node:typo".equals(p.getSpec().getContainers().get(0).getImage());
        });
        env.edit(spec -> spec.image = "jdqlite/node:0.2.0"); // the user fixes the typo
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            DqliteCluster c = env.get();
            assertThat(client.pods().inNamespace(env.ns()).list().getItems()).as(c.getStatus().message)
                    .allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("jdqlite/node:0.2.0"));
            assertThat(c.getStatus().phase).isEqualTo(ClusterPhase.Running);
        });
    }

    // 4. storage.size is accepted by the CRD after creation, but volumeClaimTemplates are immutable: every
    //    StatefulSet update fails from then on, so a later scale-up (or image change) is never applied.
    @Test
    void storageSizeChangeDoesNotBlockLaterScaling() {
        Env env = newCluster(3, spec -> spec);
        env.awaitPhase(ClusterPhase.Running);
        env.edit(spec -> spec.storage.size = "2Gi");
        env.edit(spec -> {
            spec.replicas = 5;
            spec.voters = 5;
        });
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            DqliteCluster c = env.get();
            assertThat(client.apps().statefulSets().inNamespace(env.ns()).withName("db").get().getSpec().getReplicas())
                    .as("status: %s", c.getStatus().message).isEqualTo(5);
        });
    }

    // 5. A refused recovery annotation writes a new Warning event on every reconcile pass.
    @Test
    void refusedRecoveryAnnotationDoesNotFloodEvents() {
        Env env = newCluster(3, spec -> spec);
        env.awaitPhase(ClusterPhase.Running);
        env.controller().crash("db-1");
        env.controller().crash("db-2");
        env.awaitPhase(ClusterPhase.QuorumLost);
        env.editCluster(c -> {
            c.getMetadata().getAnnotations().put(DqliteCluster.RECOVER_FROM_ANNOTATION, "db-9");
            return c;
        });
        await().atMost(TIMEOUT).until(() -> eventReasons(env.ns()).contains("RecoveryRefused"));
        // Reconciles every 150 ms here: a flood would write ~20 more in the next 3 s.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).untilAsserted(() ->
                assertThat(eventReasons(env.ns()).stream().filter("RecoveryRefused"::equals).count())
                        .as("RecoveryRefused events").isLessThanOrEqualTo(2));
    }

    // 6. Two scale requests in a row (3 -> 5 -> 3 before the first finished): no quorum loss, back to 3.
    @Test
    void scaleUpThenDownBeforeTheFirstFinished() {
        Env env = newCluster(3, spec -> spec);
        env.awaitPhase(ClusterPhase.Running);
        env.edit(spec -> {
            spec.replicas = 5;
            spec.voters = 5;
        });
        await().atMost(TIMEOUT).until(() -> env.fake().calls().stream().anyMatch(c -> c.op().equals("add")));
        env.edit(spec -> {
            spec.replicas = 3;
            spec.voters = 3;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            DqliteCluster c = env.get();
            assertThat(c.getStatus().phase).as(c.getStatus().message).isEqualTo(ClusterPhase.Running);
            assertThat(c.getStatus().members).hasSize(3);
            assertThat(env.fake().roles()).hasSize(3);
        });
        assertThat(env.fake().quorumLosses()).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private Env newCluster(int replicas, UnaryOperator<DqliteClusterSpec> customize) {
        String ns = "t" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        FakeCluster fake = new FakeCluster(2);
        ReachableAdmin admin = new ReachableAdmin(fake);
        CLUSTERS.put(ns + "/db", admin);
        DqliteCluster cluster = new DqliteCluster();
        cluster.getMetadata().setName("db");
        cluster.getMetadata().setNamespace(ns);
        cluster.getMetadata().setAnnotations(new HashMap<>());
        DqliteClusterSpec spec = new DqliteClusterSpec();
        spec.replicas = replicas;
        spec.image = "jdqlite/node:0.1.0";
        spec.storage = new StorageSpec();
        spec.storage.size = "1Gi";
        cluster.setSpec(customize.apply(spec));
        client.resource(cluster).create();
        FakeStatefulSetController controller = new FakeStatefulSetController(client, ns, "db", fake);
        toClose.add(controller);
        return new Env(ns, admin, controller);
    }

    private record Env(String ns, ReachableAdmin admin, FakeStatefulSetController controller) {
        FakeCluster fake() {
            return admin.fake;
        }

        DqliteCluster get() {
            return client.resources(DqliteCluster.class).inNamespace(ns).withName("db").get();
        }

        DqliteCluster awaitPhase(ClusterPhase phase) {
            await().atMost(TIMEOUT).untilAsserted(() -> {
                DqliteCluster c = get();
                assertThat(c.getStatus()).isNotNull();
                assertThat(c.getStatus().phase).as("status %s: %s", c.getStatus().phase, c.getStatus().message).isEqualTo(phase);
            });
            return get();
        }

        /** Running with {@code members} healthy members and as many pods. */
        DqliteCluster awaitStable(int members) {
            await().atMost(TIMEOUT).untilAsserted(() -> {
                DqliteCluster c = get();
                assertThat(c.getStatus().phase).isEqualTo(ClusterPhase.Running);
                assertThat(c.getStatus().members).hasSize(members).allSatisfy(m -> assertThat(m.healthy).isTrue());
                assertThat(c.getStatus().replicas).isEqualTo(members);
            });
            return get();
        }

        void edit(java.util.function.Consumer<DqliteClusterSpec> change) {
            editCluster(c -> {
                change.accept(c.getSpec());
                return c;
            });
        }

        /** As kubectl edit: made again on a fresh copy when the operator's status write came first (409). */
        void editCluster(java.util.function.UnaryOperator<DqliteCluster> change) {
            for (int attempt = 1; ; attempt++) {
                try {
                    client.resources(DqliteCluster.class).inNamespace(ns).withName("db").edit(change);
                    return;
                } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                    if (e.getCode() != 409 || attempt >= 20) {
                        throw e;
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        }
    }

    private static int indexOf(List<FakeCluster.Call> calls, String op, long id) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).op().equals(op) && (id < 0 || calls.get(i).id() == id)) {
                return i;
            }
        }
        return -1;
    }

    private static String condition(DqliteCluster c, String type) {
        return c.getStatus().conditions.stream().filter(x -> type.equals(x.getType())).findFirst().map(x -> x.getStatus()).orElse(null);
    }

    private static Map<String, String> leaderLabels(String ns) {
        Map<String, String> labels = new HashMap<>();
        for (Pod p : client.pods().inNamespace(ns).list().getItems()) {
            labels.put(p.getMetadata().getName(), p.getMetadata().getLabels().get(ClusterNames.LABEL_LEADER));
        }
        return labels;
    }

    private static List<String> eventReasons(String ns) {
        return client.v1().events().inNamespace(ns).list().getItems().stream().map(Event::getReason).toList();
    }
}
