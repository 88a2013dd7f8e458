package io.jdqlite.operator.dependent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.jdqlite.operator.api.DqliteCluster;
import io.jdqlite.operator.api.DqliteClusterStatus;
import io.jdqlite.operator.api.MemberStatus;
import io.jdqlite.operator.api.SchedulingSpec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The member pods. Update strategy OnDelete: the operator, not the StatefulSet controller, decides which pod
 * restarts when (followers first, leader last after a transfer, each caught up before the next). Pods start
 * in parallel because the founding members need each other for a first quorum.
 */
public class StatefulSetDependent extends NamedDependent<StatefulSet> {
    public StatefulSetDependent() {
        super(StatefulSet.class);
    }

    @Override
    String name(DqliteCluster cluster) {
        return ClusterNames.statefulSet(cluster);
    }

    /**
     * Scale-up takes spec.replicas at once (new pods are added to Raft once ready); scale-down keeps every pod
     * that still holds a Raft member, so pods go only after the reconciler removed their members.
     */
    public static int desiredReplicas(DqliteCluster cluster, Optional<StatefulSet> actual) {
        int wanted = ClusterSettings.replicas(cluster);
        Integer current = actual.map(s -> s.getSpec().getReplicas()).orElse(null);
        if (current == null || wanted >= current) {
            return wanted;
        }
        int highestMember = -1;
        DqliteClusterStatus status = cluster.getStatus();
        if (status != null && status.members != null) {
            for (MemberStatus m : status.members) {
                OptionalInt ordinal = ClusterNames.ordinal(cluster, m.pod);
                if (ordinal.isPresent()) {
                    highestMember = Math.max(highestMember, ordinal.getAsInt());
                }
            }
        }
        return Math.min(current, Math.max(wanted, highestMember + 1));
    }

    /** Hash of everything whose change needs the pods restarted; pods carry it, the reconciler compares. */
    public static String configHash(DqliteCluster cluster) {
        StringBuilder in = new StringBuilder();
        in.append(cluster.getSpec().image).append('\n');
        in.append(ClusterSettings.engineEnvironment(cluster)).append('\n');
        if (cluster.getSpec().resources != null) {
            in.append(Serialization.asJson(cluster.getSpec().resources));
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    public static int foundingReplicas(DqliteCluster cluster) {
        DqliteClusterStatus status = cluster.getStatus();
        return status != null && status.foundingReplicas != null ? status.foundingReplicas : ClusterSettings.replicas(cluster);
    }

    @Override
    protected StatefulSet desired(DqliteCluster cluster, Context<DqliteCluster> context) {
        Map<String, String> podLabels = ClusterNames.labels(cluster);
        return new StatefulSetBuilder()
                .withMetadata(metadata(cluster))
                .withNewSpec()
                .withReplicas(desiredReplicas(cluster, context.getSecondaryResource(StatefulSet.class)))
                .withServiceName(ClusterNames.headlessService(cluster))
                .withPodManagementPolicy("Parallel")
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                // a member scaled away was removed from Raft: its data is useless; on cluster deletion keep it
                .withNewPersistentVolumeClaimRetentionPolicy().withWhenScaled("Delete").withWhenDeleted("Retain")
                .endPersistentVolumeClaimRetentionPolicy()
                .withSelector(new LabelSelectorBuilder().withMatchLabels(ClusterNames.selectorLabels(cluster)).build())
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(podLabels)
                .addToAnnotations(ClusterNames.ANNOTATION_CONFIG_HASH, configHash(cluster))
                .endMetadata()
                .withNewSpec()
                .withSecurityContext(podSecurity())
                .withContainers(container(cluster))
                .withAffinity(ClusterSettings.scheduling(cluster).affinity)
                .withTolerations(ClusterSettings.scheduling(cluster).tolerations)
                .withTopologySpreadConstraints(spread(cluster))
                .withTerminationGracePeriodSeconds(30L)
                .endSpec()
                .endTemplate()
                .withVolumeClaimTemplates(dataClaim(cluster, context.getSecondaryResource(StatefulSet.class)))
                .endSpec()
                .build();
    }

    private static List<TopologySpreadConstraint> spread(DqliteCluster cluster) {
        SchedulingSpec scheduling = ClusterSettings.scheduling(cluster);
        if (scheduling.topologySpreadConstraints != null && !scheduling.topologySpreadConstraints.isEmpty()) {
            return scheduling.topologySpreadConstraints;
        }
        if (Boolean.FALSE.equals(scheduling.spreadAcrossNodes)) {
            return List.of();
        }
        return List.of(new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey("kubernetes.io/hostname")
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withNewLabelSelector().withMatchLabels(ClusterNames.selectorLabels(cluster)).endLabelSelector()
                .build());
    }

    /**
     * The existing StatefulSet's storage when there is one: volumeClaimTemplates are immutable, and asking for
     * a change would fail every later update (scaling, image) with a 422. The reconciler reports the difference.
     */
    private static PersistentVolumeClaim dataClaim(DqliteCluster cluster, Optional<StatefulSet> actual) {
        Optional<PersistentVolumeClaim> existing = existingDataClaim(actual);
        String storageClass = existing.isPresent() ? existing.get().getSpec().getStorageClassName() : cluster.getSpec().storage.storageClass;
        Quantity size = existing.map(StatefulSetDependent::size).orElse(new Quantity(cluster.getSpec().storage.size));
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(ClusterNames.DATA_VOLUME).withLabels(ClusterNames.labels(cluster)).endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(storageClass)
                .withNewResources().addToRequests("storage", size).endResources()
                .endSpec()
                .build();
    }

    private static Optional<PersistentVolumeClaim> existingDataClaim(Optional<StatefulSet> actual) {
        return actual.map(a -> a.getSpec().getVolumeClaimTemplates()).stream().flatMap(List::stream)
                .filter(t -> ClusterNames.DATA_VOLUME.equals(t.getMetadata().getName()) && t.getSpec() != null)
                .findFirst();
    }

    private static Quantity size(PersistentVolumeClaim claim) {
        return claim.getSpec().getResources() == null || claim.getSpec().getResources().getRequests() == null ? null
                : claim.getSpec().getResources().getRequests().get("storage");
    }

    /** Why spec.storage is not what the existing StatefulSet's volumes are made with, if it is not. */
    public static Optional<String> storageChangeNotApplied(DqliteCluster cluster, Optional<StatefulSet> actual) {
        Optional<PersistentVolumeClaim> existing = existingDataClaim(actual);
        if (existing.isEmpty() || size(existing.get()) == null) {
            return Optional.empty();
        }
        String wantedClass = cluster.getSpec().storage.storageClass;
        String actualClass = existing.get().getSpec().getStorageClassName();
        Quantity actualSize = size(existing.get());
        boolean sameSize = Quantity.getAmountInBytes(actualSize).compareTo(
                Quantity.getAmountInBytes(new Quantity(cluster.getSpec().storage.size))) == 0;
        if (sameSize && (wantedClass == null || wantedClass.equals(actualClass))) {
            return Optional.empty();
        }
        return Optional.of("storage " + cluster.getSpec().storage.size + (wantedClass == null ? "" : " of class " + wantedClass)
                + " not applied: the volumes of a StatefulSet cannot change; existing pods keep " + actualSize
                + (actualClass == null ? "" : " of class " + actualClass) + " (resize the PVCs directly if the storage class allows it)");
    }

    /**
     * Non-root, and the data volume group-owned by the node's user: most provisioners make a volume's root
     * directory root's own, where the node could not create its data directory.
     */
    private static PodSecurityContext podSecurity() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withFsGroup(ClusterNames.NODE_UID)
                .withFsGroupChangePolicy("OnRootMismatch")
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    private static Container container(DqliteCluster cluster) {
        return new ContainerBuilder()
                .withName("node")
                .withImage(cluster.getSpec().image)
                .withEnv(environment(cluster))
                .addNewEnvFrom().withNewConfigMapRef().withName(ClusterNames.configMap(cluster)).endConfigMapRef().endEnvFrom()
                .addNewPort().withName("dqlite").withContainerPort(ClusterNames.CLIENT_PORT).endPort()
                .addNewPort().withName("raft").withContainerPort(ClusterNames.RAFT_PORT).endPort()
                .addNewPort().withName("http").withContainerPort(ClusterNames.HTTP_PORT).endPort()
                .withResources(cluster.getSpec().resources)
                .withReadinessProbe(probe("/q/health/ready", 5, 3))
                .withLivenessProbe(probe("/q/health/live", 10, 6))
                .withStartupProbe(probe("/q/health/live", 5, 60))
                .addNewVolumeMount().withName(ClusterNames.DATA_VOLUME).withMountPath(ClusterNames.DATA_MOUNT).endVolumeMount()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .build();
    }

    private static Probe probe(String path, int period, int failures) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new io.fabric8.kubernetes.api.model.IntOrString("http")).endHttpGet()
                .withPeriodSeconds(period)
                .withFailureThreshold(failures)
                .build();
    }

    /**
     * What a node needs to start. The node image's start script (deploy/images/node-start.sh) derives from
     * the pod ordinal: a founding pod (ordinal < JDQLITE_FOUNDERS) with an empty volume before the cluster
     * was bootstrapped gets JDQLITE_ID = ordinal + 1 and bootstraps with JDQLITE_CLUSTER; any other empty
     * volume joins through JDQLITE_JOIN under a fresh id, so a lost volume always returns as a new member.
     */
    static List<EnvVar> environment(DqliteCluster cluster) {
        int founders = foundingReplicas(cluster);
        String ns = cluster.getMetadata().getNamespace();
        String headless = ClusterNames.headlessService(cluster);
        String foundingMembers = IntStream.range(0, founders)
                .mapToObj(i -> (i + 1) + "@" + ClusterNames.memberAddress(cluster, i))
                .collect(Collectors.joining(","));
        String join = IntStream.range(0, Math.max(founders, ClusterSettings.replicas(cluster)))
                .mapToObj(i -> ClusterNames.memberAddress(cluster, i))
                .collect(Collectors.joining(","));
        boolean bootstrapped = cluster.getStatus() != null && Boolean.TRUE.equals(cluster.getStatus().bootstrapped);
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.name").endFieldRef().endValueFrom().build());
        env.add(new EnvVarBuilder().withName("POD_UID").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.uid").endFieldRef().endValueFrom().build());
        env.add(env("JDQLITE_ADDRESS", "$(POD_NAME)." + headless + "." + ns + ".svc:" + ClusterNames.CLIENT_PORT));
        env.add(env("JDQLITE_BIND", "0.0.0.0:" + ClusterNames.CLIENT_PORT));
        env.add(env("JDQLITE_RAFT_BIND", "0.0.0.0:" + ClusterNames.RAFT_PORT));
        env.add(env("JDQLITE_DATA_DIR", ClusterNames.DATA_MOUNT + "/data"));
        env.add(env("JDQLITE_FOUNDERS", String.valueOf(founders)));
        env.add(env("JDQLITE_BOOTSTRAPPED", String.valueOf(bootstrapped)));
        env.add(env("JDQLITE_CLUSTER", foundingMembers));
        env.add(env("JDQLITE_JOIN", join));
        if (cluster.getStatus() != null && cluster.getStatus().recoveringFrom != null) {
            // the start script runs that pod's node with JDQLITE_RECOVER=true: its Raft configuration becomes itself alone
            env.add(env("JDQLITE_RECOVER_FROM", cluster.getStatus().recoveringFrom));
        }
        env.add(env("QUARKUS_HTTP_PORT", String.valueOf(ClusterNames.HTTP_PORT)));
        return env;
    }

    private static EnvVar env(String name, String value) {
        return new EnvVar(name, value, null);
    }
}
