package io.jdqlite.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.jdqlite.operator.api.DqliteCluster;

/**
 * A dependent whose name derives from the cluster's: several of one kind (three Services) each find their
 * own object by name rather than by the cluster's name.
 */
abstract class NamedDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, DqliteCluster> {
    NamedDependent(Class<R> type) {
        super(type);
    }

    abstract String name(DqliteCluster cluster);

    @Override
    protected ResourceID targetSecondaryResourceID(DqliteCluster primary, Context<DqliteCluster> context) {
        return new ResourceID(name(primary), primary.getMetadata().getNamespace());
    }

    /** The cluster is the controlling owner: garbage collection removes this object with it. */
    @Override
    protected void addReferenceHandlingMetadata(R desired, DqliteCluster primary) {
        super.addReferenceHandlingMetadata(desired, primary);
        desired.getMetadata().getOwnerReferences().stream()
                .filter(ref -> primary.getMetadata().getUid().equals(ref.getUid()))
                .forEach(ref -> {
                    ref.setController(true);
                    ref.setBlockOwnerDeletion(true);
                });
    }

    ObjectMeta metadata(DqliteCluster cluster) {
        return new ObjectMetaBuilder()
                .withName(name(cluster))
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(ClusterNames.labels(cluster))
                .build();
    }
}
