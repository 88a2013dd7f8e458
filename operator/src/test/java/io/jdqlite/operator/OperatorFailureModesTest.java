package io.jdqlite.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.jdqlite.operator.admin.ClusterAdmin;
import io.jdqlite.operator.admin.ClusterAdminException;
import io.jdqlite.operator.admin.NodeStatus;
import io.jdqlite.operator.api.ClusterPhase;
import io.jdqlite.operator.api.DqliteCluster;
import io.jdqlite.operator.api.DqliteClusterSpec;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failure modes of the operator. Mock server whose StatefulSet updates behave like the real API server
 * (volumeClaimTemplates immutable), and an admin layer whose reachability a test controls.
 */
class OperatorFailureModesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KubernetesMockServer server;
    private static KubernetesClient client;
    private static Operator operator;
    private static final Map<String, ClusterAdmin> ADMINS = new ConcurrentHashMap<>();

    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** As the real API server: a StatefulSet's volumeClaimTemplates cannot change (422 Forbidden). */
    static final class StrictDispatcher extends KubernetesCrudDispatcher {
        @Override
        public MockResponse handleUpdate(RecordedRequest request) {
            String path = request.getPath();
            String body = request.getUtf8Body(); // consumes it: hand the CRUD dispatcher a fresh copy
            request = new RecordedRequest(request.getHttpVersion(), request.method(), path, request.getHeaders(),
                    new io.fabric8.mockwebserver.http.Buffer().writeUtf8(body));
            if (path.contains("/statefulsets/") && !path.contains("/status")) {
                MockResponse current = handleGet(path.contains("?") ? path.substring(0, path.indexOf('?')) : path);
                try {
                    if (current.code() == 200) {
                        JsonNode before = JSON.readTree(current.getBody().readUtf8()).path("spec").path("volumeClaimTemplates");
                        JsonNode after = JSON.readTree(body).path("spec").path("volumeClaimTemplates");
                        if (!storage(before).equals(storage(after))) {
                            return new MockResponse().setResponseCode(422).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                                    + "\"status\":\"Failure\",\"reason\":\"Invalid\",\"code\":422,\"message\":\"StatefulSet.apps is invalid: "
                                    + "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                                    + "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden\"}");
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return super.handleUpdate(request);
        }

        private static String storage(JsonNode vcts) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode t : vcts) {
                sb.append(t.path("spec").path("storageClassName").asText()).append('/')
                        .append(t.path("spec").path("resources").path("requests").path("storage").asText()).append(';');
            }
            return sb.toString();
        }
    }

    /** The fake cluster, with pods whose admin API the operator cannot reach (network policy, overload). */
    static final class Reachability implements ClusterAdmin {
        final FakeCluster fake;
        final Set<String> unreachable = ConcurrentHashMap.newKeySet();

        Reachability(FakeCluster fake) {
            this.fake = fake;
        }

        @Override
        public NodeStatus status(String podAddress) {
            if (unreachable.contains(podAddress.substring(0, podAddress.indexOf(':')))) {
                throw new ClusterAdminException("GET /admin/status on " + podAddress + " failed: HttpTimeoutException");
            }
            return fake.status(podAddress);
        }

        @Override
        public void addMember(long id, String address, MemberRole role) {
            fake.addMember(id, address, role);
        }

        @Override
        public void assignRole(long id, MemberRole role) {
            fake.assignRole(id, role);
        }

        @Override
        public void removeMember(long id) {
            fake.removeMember(id);
        }

        @Override
        public void transferLeadership(long toId) {
            fake.transferLeadership(toId);
        }
    }

    @BeforeAll
    static void startOperator() throws IOException {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new StrictDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 24910);
        client = server.createClient();
        try (InputStream crd = new FileInputStream(Path.of(System.getProperty("jdqlite.crdsDir", "../crds"),
                "dqliteclusters.jdqlite.io-v1.yml").toFile())) {
            client.apiextensions().v1().customResourceDefinitions().load(crd).create();
        }
        PodAddressResolver byName = pod -> Optional.ofNullable(pod.getStatus()).map(s -> s.getPodIP())
                .map(ip -> pod.getMetadata().getName() + ":8080");
        OperatorSettings settings = new OperatorSettings(Duration.ofMillis(150), Duration.ofMillis(500), 100, Clock.systemUTC());
        operator = OperatorMain.create(client, (namespace, name, addresses) -> ADMINS.get(namespace + "/" + name), byName, settings);
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

    // 1. A follower whose pod is Ready and which the leader reports caught up, but whose admin API the operator
    //    cannot reach, is declared unhealthy, removed from Raft and its volume deleted.
    @Test
    void readyCaughtUpFollowerIsNotWipedJustBecauseItsAdminApiIsUnreachable() {
        Env env = newCluster("db", 3, spec -> {
            spec.recovery = new RecoverySpec();
            spec.recovery.unhealthyTimeout = "1s";
            return spec;
        });
        env.awaitPhase(ClusterPhase.Running);
        long id = env.fake().idOf("db-2");
        env.admin.unreachable.add("db-2");
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> {
            assertThat(env.fake().calls()).as("membership calls").noneMatch(c -> c.op().equals("remove"));
            assertThat(env.fake().idOf("db-2")).as("db-2 keeps its volume").isEqualTo(id);
        });
    }

    // 2. The operator losing reach of the admin API (all pods Ready) is reported as QuorumLost, with advice to
    //    run the destructive recovery.
    @Test
    void unreachableAdminApiOnReadyPodsIsNotReportedAsQuorumLost() {
        Env env = newCluster("db", 3, spec -> spec);
        env.awaitPhase(ClusterPhase.Running);
        env.admin.unreachable.addAll(List.of("db-0", "db-1", "db-2"));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            DqliteCluster c = env.get();
            assertThat(c.getStatus().phase).as(c.getStatus().message).isNotEqualTo(ClusterPhase.QuorumLost);
            assertThat(eventReasons(env.ns)).doesNotContain("QuorumLost");
        });
    }

    // 3a. A rollout to an image that cannot start (typo, missing tag): once the stuck pod's member is replaced
    //     (unhealthyTimeout, 5m by default), the rollout goes on with the next follower while the configuration
    //     has only two voters: quorum lost, full outage, caused by the operator.
    @Test
    void rolloutOfAnImageThatCannotStartNeverLosesQuorum() throws InterruptedException {
        Env env = newCluster("db", 3, spec -> {
            spec.recovery = new RecoverySpec();
            spec.recovery.unhealthyTimeout = "1s";
            return spec;
        });
        env.awaitPhase(ClusterPhase.Running);
        env.controller.breakImage("jdqlite/node:typo");
        env.edit(spec -> spec.image = "jdqlite/node:typo");
        await().atMost(TIMEOUT).until(() -> eventReasons(env.ns).contains("MemberReplaced"));
        Thread.sleep(3000);
        assertThat(eventReasons(env.ns)).doesNotContain("QuorumLost");
        assertThat(env.fake().quorumLosses()).as("quorum lost by the operator's own pod deletions").isEmpty();
    }

    // 3b. The same typo fixed while the stuck pod is still a member: the fix is not rolled out, because the
    //     upgrade waits for every pod to be healthy and only a healthy pod is restarted (OnDelete).
    @Test
    void fixingABrokenImageRollsItOut() {
        Env env = newCluster("db", 3, spec -> spec); // default unhealthyTimeout 5m
        env.awaitPhase(ClusterPhase.Running);
        env.controller.breakImage("jdqlite/node:typo");
        env.edit(spec -> spec.image = "jdqlite/node:typo");
        await().atMost(TIMEOUT).until(() -> {
            Pod p = client.pods().inNamespace(env.ns).withName("db-2").get();
            return p != null && p.getMetadata().getDeletionTimestamp() == null
                    && "jdqlite/node:typo".equals(p.getSpec().getContainers().get(0).getImage());
        });
        env.edit(spec -> spec.image = "jdqlite/node:0.2.0"); // the user fixes the typo
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            DqliteCluster c = env.get();
            assertThat(client.pods().inNamespace(env.ns).list().getItems()).as(c.getStatus().message)
                    .allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("jdqlite/node:0.2.0"));
            assertThat(c.getStatus().phase).isEqualTo(ClusterPhase.Running);
        });
    }

    // 4. storage.size is accepted by the CRD after creation, but volumeClaimTemplates are immutable: every
    //    StatefulSet update fails from then on, so a later scale-up (or image change) is never applied.
    @Test
    void storageSizeChangeDoesNotBlockLaterScaling() {
        Env env = newCluster("db", 3, spec -> spec);
        env.awaitPhase(ClusterPhase.Running);
        env.edit(spec -> spec.storage.size = "2Gi");
        env.edit(spec -> {
            spec.replicas = 5;
            spec.voters = 5;
        });
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            DqliteCluster c = env.get();
            assertThat(client.apps().statefulSets().inNamespace(env.ns).withName("db").get().getSpec().getReplicas())
                    .as("status: %s", c.getStatus().message).isEqualTo(5);
        });
    }

    // 5. A refused recovery annotation writes a new Warning event on every reconcile pass.
    @Test
    void refusedRecoveryAnnotationDoesNotFloodEvents() throws InterruptedException {
        Env env = newCluster("db", 3, spec -> spec);
        env.awaitPhase(ClusterPhase.Running);
        env.controller.crash("db-1");
        env.controller.crash("db-2");
        env.awaitPhase(ClusterPhase.QuorumLost);
        env.editCluster(c -> {
            c.getMetadata().getAnnotations().put(DqliteCluster.RECOVER_FROM_ANNOTATION, "db-9");
            return c;
        });
        Thread.sleep(3000);
        long refused = client.v1().events().inNamespace(env.ns).list().getItems().stream()
                .filter(e -> "RecoveryRefused".equals(e.getReason())).count();
        assertThat(refused).as("RecoveryRefused events in 3 s").isLessThanOrEqualTo(2);
    }

    // 6. Two scale requests in a row (3 -> 5 -> 3 before the first finished): no quorum loss, back to 3.
    @Test
    void scaleUpThenDownBeforeTheFirstFinished() {
        Env env = newCluster("db", 3, spec -> spec);
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

    private Env newCluster(String name, int replicas, UnaryOperator<DqliteClusterSpec> customize) {
        String ns = "a" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        FakeCluster fake = new FakeCluster(2);
        Reachability admin = new Reachability(fake);
        ADMINS.put(ns + "/" + name, admin);
        createCluster(ns, name, replicas, customize);
        FakeStatefulSetController controller = new FakeStatefulSetController(client, ns, name, fake);
        toClose.add(controller);
        return new Env(ns, name, admin, controller);
    }

    private static void createCluster(String ns, String name, int replicas, UnaryOperator<DqliteClusterSpec> customize) {
        DqliteCluster cluster = new DqliteCluster();
        cluster.getMetadata().setName(name);
        cluster.getMetadata().setNamespace(ns);
        cluster.getMetadata().setAnnotations(new HashMap<>());
        DqliteClusterSpec spec = new DqliteClusterSpec();
        spec.replicas = replicas;
        spec.image = "jdqlite/node:0.1.0";
        spec.storage = new StorageSpec();
        spec.storage.size = "1Gi";
        cluster.setSpec(customize.apply(spec));
        client.resource(cluster).create();
    }

    private record Env(String ns, String name, Reachability admin, FakeStatefulSetController controller) {
        FakeCluster fake() {
            return admin.fake;
        }

        DqliteCluster get() {
            return client.resources(DqliteCluster.class).inNamespace(ns).withName(name).get();
        }

        DqliteCluster awaitPhase(ClusterPhase phase) {
            await().atMost(TIMEOUT).untilAsserted(() -> {
                DqliteCluster c = get();
                assertThat(c.getStatus()).isNotNull();
                assertThat(c.getStatus().phase).as("status %s: %s", c.getStatus().phase, c.getStatus().message).isEqualTo(phase);
            });
            return get();
        }

        void edit(Consumer<DqliteClusterSpec> change) {
            editCluster(c -> {
                change.accept(c.getSpec());
                return c;
            });
        }

        void editCluster(UnaryOperator<DqliteCluster> change) {
            for (int attempt = 1; ; attempt++) {
                try {
                    client.resources(DqliteCluster.class).inNamespace(ns).withName(name).edit(change);
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

    private static List<String> eventReasons(String ns) {
        return client.v1().events().inNamespace(ns).list().getItems().stream().map(Event::getReason).toList();
    }
}
