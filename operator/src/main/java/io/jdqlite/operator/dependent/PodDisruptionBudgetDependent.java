package io.jdqlite.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.jdqlite.operator.api.DqliteCluster;

/**
 * Voluntary disruptions may take at most (voters - 1) / 2 pods at once: even if every evicted pod were a
 * voter, a majority of voters stays up. With one voter nothing may be evicted.
 */
public class PodDisruptionBudgetDependent extends NamedDependent<PodDisruptionBudget> {
    public PodDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    String name(DqliteCluster cluster) {
        return ClusterNames.podDisruptionBudget(cluster);
    }

    /** Pods that may be disrupted at once without losing a quorum of voters. */
    public static int maxUnavailable(int voters) {
        return Math.max(0, (voters - 1) / 2);
    }

    @Override
    protected PodDisruptionBudget desired(DqliteCluster cluster, Context<DqliteCluster> context) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(metadata(cluster))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(maxUnavailable(ClusterSettings.voters(cluster))))
                .withNewSelector().withMatchLabels(ClusterNames.selectorLabels(cluster)).endSelector()
                .endSpec()
                .build();
    }
}
