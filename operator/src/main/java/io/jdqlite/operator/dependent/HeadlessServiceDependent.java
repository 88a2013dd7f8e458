package io.jdqlite.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.jdqlite.operator.api.DqliteCluster;

/** The headless Service giving each member pod its stable DNS name (the Raft member address). */
public class HeadlessServiceDependent extends NamedDependent<Service> {
    public HeadlessServiceDependent() {
        super(Service.class);
    }

    @Override
    String name(DqliteCluster cluster) {
        return ClusterNames.headlessService(cluster);
    }

    @Override
    protected Service desired(DqliteCluster cluster, Context<DqliteCluster> context) {
        return new ServiceBuilder()
                .withMetadata(metadata(cluster))
                .withNewSpec()
                .withClusterIP("None")
                // peers must resolve each other before they are ready: readiness needs a quorum
                .withPublishNotReadyAddresses(true)
                .withSelector(ClusterNames.selectorLabels(cluster))
                .addNewPort().withName("dqlite").withPort(ClusterNames.CLIENT_PORT).endPort()
                .addNewPort().withName("raft").withPort(ClusterNames.RAFT_PORT).endPort()
                .addNewPort().withName("http").withPort(ClusterNames.HTTP_PORT).endPort()
                .endSpec()
                .build();
    }
}
