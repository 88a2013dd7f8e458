package io.jdqlite.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Where the scenarios run: the Kubernetes API they drive and the few things only the environment can do.
 * {@link LocalTarget} (default): in-JVM API + node processes; {@link KindTarget}: a kind cluster
 * (-Djdqlite.e2e.target=kind).
 */
interface ClusterUnderTest extends AutoCloseable {
    KubernetesClient client();

    String namespace();

    /** dqlite client addresses that reach the pods of {@code cluster} from this JVM. */
    List<String> clientAddresses(String cluster, int replicas);

    /** Maps the address a node names (its pod's, e.g. the leader's) to one this JVM reaches it at. */
    UnaryOperator<String> addressTranslator();

    /** The pod whose node a node address (as nodes name each other) belongs to. */
    String podAt(String nodeAddress);

    /** Kills the node of {@code pod} the hard way (the container restarts). */
    void killContainer(String pod) throws Exception;

    static ClusterUnderTest create(String test) throws Exception {
        String target = System.getProperty("jdqlite.e2e.target", "local");
        return switch (target) {
            case "local", "" -> new LocalTarget(test);
            case "kind" -> new KindTarget(test);
            default -> throw new IllegalArgumentException("jdqlite.e2e.target must be local or kind, got " + target);
        };
    }
}
