package io.jdqlite.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.jdqlite.operator.api.DqliteCluster;

/** Engine settings as JDQLITE_* variables, loaded by every node (envFrom). */
public class ConfigMapDependent extends NamedDependent<ConfigMap> {
    public ConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    String name(DqliteCluster cluster) {
        return ClusterNames.configMap(cluster);
    }

    @Override
    protected ConfigMap desired(DqliteCluster cluster, Context<DqliteCluster> context) {
        return new ConfigMapBuilder()
                .withMetadata(metadata(cluster))
                .withData(ClusterSettings.engineEnvironment(cluster))
                .build();
    }
}
