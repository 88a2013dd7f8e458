package io.jdqlite.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.jdqlite.operator.admin.ClusterAdminFactory;
import io.jdqlite.operator.admin.HttpClusterAdmin;

import java.time.Duration;

/** Runs the operator in-cluster (or against the current kubeconfig): {@code java -jar jdqlite-operator-*-all.jar}. */
public final class OperatorMain {
    private OperatorMain() {
    }

    public static void main(String[] args) {
        Operator operator = create(null, HttpClusterAdmin.factory(Duration.ofSeconds(3)), PodAddressResolver.podIp(),
                OperatorSettings.defaults());
        operator.installShutdownHook(Duration.ofSeconds(10));
        operator.start();
    }

    /**
     * The operator with its reconciler registered, not started. {@code client} null means the default
     * (in-cluster or kubeconfig); tests and the e2e harness pass their own client, admin factory and resolver.
     */
    public static Operator create(KubernetesClient client, ClusterAdminFactory admins, PodAddressResolver resolver,
                                  OperatorSettings settings) {
        Operator operator = new Operator(o -> configure(o, client));
        operator.register(new DqliteClusterReconciler(admins, resolver, settings));
        return operator;
    }

    private static void configure(ConfigurationServiceOverrider o, KubernetesClient client) {
        if (client != null) {
            o.withKubernetesClient(client).withCloseClientOnStop(false);
        }
        // Plain updates instead of server-side apply: the behaviour the mock-server
        // tests exercise (the fabric8 mock server does not implement apply patches) is the one that ships.
        o.withSSABasedCreateUpdateMatchForDependentResources(false);
        o.withUseSSAToPatchPrimaryResource(false);
    }
}
