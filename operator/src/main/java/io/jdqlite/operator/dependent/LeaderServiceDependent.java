package io.jdqlite.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.jdqlite.operator.api.ClientServiceSpec;
import io.jdqlite.operator.api.DqliteCluster;

import java.util.Map;

/** A Service selecting only the current leader: the operator keeps jdqlite.io/leader=true on that pod alone. */
public class LeaderServiceDependent extends NamedDependent<Service> {
    public LeaderServiceDependent() {
        super(Service.class);
    }

    @Override
    String name(DqliteCluster cluster) {
        return ClusterNames.leaderService(cluster);
    }

    @Override
    protected Service desired(DqliteCluster cluster, Context<DqliteCluster> context) {
        ClientServiceSpec spec = ClusterSettings.clientService(cluster);
        Map<String, String> selector = ClusterNames.selectorLabels(cluster);
        selector.put(ClusterNames.LABEL_LEADER, "true");
        return new ServiceBuilder()
                .withMetadata(metadata(cluster))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(selector)
                .addNewPort().withName("dqlite").withPort(spec.port)
                .withTargetPort(new IntOrString(ClusterNames.CLIENT_PORT)).endPort()
                .addNewPort().withName("http").withPort(ClusterNames.HTTP_PORT)
                .withTargetPort(new IntOrString(ClusterNames.HTTP_PORT)).endPort()
                .endSpec()
                .build();
    }
}
