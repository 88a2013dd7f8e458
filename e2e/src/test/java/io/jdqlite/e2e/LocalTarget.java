package io.jdqlite.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.jdqlite.operator.OperatorMain;
import io.jdqlite.operator.OperatorSettings;
import io.jdqlite.operator.PodAddressResolver;
import io.jdqlite.operator.admin.HttpClusterAdmin;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.UnaryOperator;

/** The in-JVM Kubernetes API (fabric8 mock server, CRUD mode), the real operator, and {@link LocalKubelet}. */
final class LocalTarget implements ClusterUnderTest {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Operator operator;
    private final LocalKubelet kubelet;
    private final String namespace = "e2e";
    final Path dir;

    LocalTarget(String test) throws Exception {
        Path nodeJar = REPO.resolve("node/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(nodeJar)) {
            throw new IllegalStateException("node application missing: " + nodeJar + " (mvn -pl node -am install)");
        }
        dir = Path.of("target", "e2e", test).toAbsolutePath();
        LocalKubelet.wipeTree(dir);
        Files.createDirectories(dir);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        try (InputStream crd = new FileInputStream(REPO.resolve("crds/dqliteclusters.jdqlite.io-v1.yml").toFile())) {
            client.apiextensions().v1().customResourceDefinitions().load(crd).create();
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        kubelet = new LocalKubelet(client, namespace, dir, nodeJar, REPO.resolve("deploy/images/node-start.sh"));
        operator = OperatorMain.create(client, HttpClusterAdmin.factory(Duration.ofSeconds(3)), PodAddressResolver.podIp(),
                new OperatorSettings(Duration.ofSeconds(1), Duration.ofSeconds(5), 100, Clock.systemUTC()));
        operator.start();
    }

    LocalKubelet kubelet() {
        return kubelet;
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public List<String> clientAddresses(String cluster, int replicas) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            out.add(kubelet.ip(cluster + "-" + i) + ":9001");
        }
        return out;
    }

    @Override
    public UnaryOperator<String> addressTranslator() {
        return UnaryOperator.identity(); // pods name themselves by their loopback addresses here
    }

    @Override
    public String podAt(String nodeAddress) {
        return kubelet.podAt(nodeAddress.substring(0, nodeAddress.lastIndexOf(':')));
    }

    @Override
    public void killContainer(String pod) {
        kubelet.killContainer(pod);
    }

    @Override
    public void close() {
        operator.stop();
        kubelet.close();
        client.close();
        server.destroy();
    }
}
