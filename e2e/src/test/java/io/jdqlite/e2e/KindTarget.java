package io.jdqlite.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;

import java.util.ArrayList;
import java.util.List;

/**
 * A kind cluster with the CRD, operator and images installed by e2e/kind/run.sh (current kubeconfig). Pods
 * are reached through port-forwards; a killed container is a pod deleted without grace (same volume).
 */
final class KindTarget implements ClusterUnderTest {
    private final KubernetesClient client = new KubernetesClientBuilder().build();
    private final String namespace;
    private final List<LocalPortForward> forwards = new ArrayList<>();

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
            LocalPortForward f = client.pods().inNamespace(namespace).withName(cluster + "-" + i).portForward(9001);
            forwards.add(f);
            out.add("127.0.0.1:" + f.getLocalPort());
        }
        return out;
    }

    @Override
    public void killContainer(String pod) {
        client.pods().inNamespace(namespace).withName(pod).withGracePeriod(0).delete();
    }

    @Override
    public void close() throws Exception {
        for (LocalPortForward f : forwards) {
            f.close();
        }
        client.namespaces().withName(namespace).delete();
        client.close();
    }
}
