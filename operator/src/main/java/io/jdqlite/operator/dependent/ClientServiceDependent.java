package io.jdqlite.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.jdqlite.operator.api.ClientServiceSpec;
import io.jdqlite.operator.api.DqliteCluster;

/** The Service clients connect to; any ready member answers (followers redirect to the leader). */
public class ClientServiceDependent extends NamedDependent<Service> {
    public ClientServiceDependent() {
        super(Service.class);
    }

    @Override
    String name(DqliteCluster cluster) {
        return ClusterNames.clientService(cluster);
    }

    @Override
    protected Service desired(DqliteCluster cluster, Context<DqliteCluster> context) {
        ClientServiceSpec spec = ClusterSettings.clientService(cluster);
        return new ServiceBuilder()
                .withMetadata(metadata(cluster))
                .withNewSpec()
                .withType(spec.type.name())
                .withSelector(ClusterNames.selectorLabels(cluster))
                .addNewPort().withName("dqlite").withPort(spec.port)
                .withTargetPort(new IntOrString(ClusterNames.CLIENT_PORT)).endPort()
                .endSpec()
                .build();
    }
}
