package io.jdqlite.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A kind cluster with the CRD, operator and images installed by e2e/kind/run.sh (current kubeconfig). Pods
 * are reached through port-forwards, one per pod, which follow a pod recreated under the same name; nodes
 * name each other by pod DNS names ({@code db-0.<headless>.<ns>.svc:9001}), which the client translates to
 * those forwards. A killed container is a pod deleted without grace (same volume).
 */
final class KindTarget implements ClusterUnderTest {
    private static final int CLIENT_PORT = 9001;
    private final KubernetesClient client = new KubernetesClientBuilder().build();
    private final String namespace;
    private final Map<String, LocalPortForward> forwards = new ConcurrentHashMap<>();

    KindTarget(String test) {
        namespace = ("e2e-" + test.toLowerCase()).replaceAll("[^a-z0-9-]", "-").substring(0, Math.min(50, 4 + test.length()));
        if (client.namespaces().withName(namespace).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        }
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
            out.add(forwardTo(cluster + "-" + i));
        }
        return out;
    }

    @Override
    public UnaryOperator<String> addressTranslator() {
        return address -> address.endsWith(".svc:" + CLIENT_PORT) ? forwardTo(podAt(address)) : address;
    }

    @Override
    public String podAt(String nodeAddress) {
        int dot = nodeAddress.indexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("not a pod DNS address: " + nodeAddress);
        }
        return nodeAddress.substring(0, dot);
    }

    private String forwardTo(String pod) {
        LocalPortForward f = forwards.computeIfAbsent(pod,
                p -> client.pods().inNamespace(namespace).withName(p).portForward(CLIENT_PORT));
        return "127.0.0.1:" + f.getLocalPort();
    }

    @Override
    public void killContainer(String pod) {
        client.pods().inNamespace(namespace).withName(pod).withGracePeriod(0).delete();
    }

    @Override
    public void close() throws Exception {
        for (LocalPortForward f : forwards.values()) {
            f.close();
        }
        client.namespaces().withName(namespace).delete();
        client.close();
    }
}
