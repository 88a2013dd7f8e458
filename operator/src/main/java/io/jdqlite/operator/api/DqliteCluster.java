package io.jdqlite.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A replicated jdqlite (dqlite) cluster: {@code kubectl get dq}. */
@Group(DqliteCluster.GROUP)
@Version(DqliteCluster.VERSION)
@Kind("DqliteCluster")
@Plural("dqliteclusters")
@Singular("dqlitecluster")
@ShortNames("dq")
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".spec.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Leader", jsonPath = ".status.leader", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class DqliteCluster extends CustomResource<DqliteClusterSpec, DqliteClusterStatus> implements Namespaced {
    public static final String GROUP = "jdqlite.io";
    public static final String VERSION = "v1alpha1";
    /** Names the pod whose data survives a quorum loss; see docs/operator.md. */
    public static final String RECOVER_FROM_ANNOTATION = "jdqlite.io/recover-from";

    @Override
    protected DqliteClusterStatus initStatus() {
        return new DqliteClusterStatus();
    }
}
