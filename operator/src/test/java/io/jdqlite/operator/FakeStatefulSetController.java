package io.jdqlite.operator;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jdqlite.operator.dependent.ClusterNames;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Does in the mock server what the StatefulSet controller and kubelet would: creates pods (and their volume
 * claims) from the template up to spec.replicas, deletes pods above it (claims too: whenScaled=Delete),
 * recreates deleted pods, and starts/stops their nodes in the {@link FakeCluster}. Pods get readiness and
 * an IP set by this class since nothing runs them.
 */
final class FakeStatefulSetController implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final FakeCluster cluster;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final Set<String> known = new HashSet<>();
    private final Set<String> crashed = new HashSet<>();
    private final List<String> starts = new ArrayList<>();
    /** Images whose pods never start (ImagePullBackOff): the pod exists, has an IP, is never ready. */
    private final Set<String> brokenImages = new HashSet<>();

    FakeStatefulSetController(KubernetesClient client, String namespace, String name, FakeCluster cluster) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.cluster = cluster;
        loop.scheduleWithFixedDelay(this::syncQuietly, 0, 50, TimeUnit.MILLISECONDS);
    }

    synchronized void breakImage(String image) {
        brokenImages.add(image);
    }

    /** Pod names in the order their nodes started. */
    synchronized List<String> starts() {
        return List.copyOf(starts);
    }

    /** The node in {@code pod} dies; the pod stays, not ready, until someone deletes it. */
    synchronized void crash(String pod) {
        crashed.add(pod);
        cluster.crash(pod);
        client.pods().inNamespace(namespace).withName(pod).editStatus(p -> {
            p.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("False").build()));
            return p;
        });
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException e) {
            // the mock server may be shutting down; next round retries
        }
    }

    private synchronized void sync() {
        StatefulSet sts = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
        if (sts == null) {
            return;
        }
        int replicas = sts.getSpec().getReplicas();
        Map<Integer, Pod> pods = new HashMap<>();
        for (Pod p : client.pods().inNamespace(namespace).withLabel(ClusterNames.LABEL_INSTANCE, name).list().getItems()) {
            pods.put(Integer.parseInt(p.getMetadata().getName().substring(name.length() + 1)), p);
        }
        for (String pod : new HashSet<>(known)) {
            int ordinal = Integer.parseInt(pod.substring(name.length() + 1));
            if (!pods.containsKey(ordinal)) {
                known.remove(pod);
                crashed.remove(pod);
                cluster.podStopped(pod);
                if (client.persistentVolumeClaims().inNamespace(namespace).withName(ClusterNames.dataClaim(pod)).get() == null) {
                    cluster.volumeLost(pod);
                }
            }
        }
        for (Map.Entry<Integer, Pod> e : pods.entrySet()) {
            if (e.getKey() >= replicas) {
                String pod = e.getValue().getMetadata().getName();
                client.pods().inNamespace(namespace).withName(pod).delete();
                client.persistentVolumeClaims().inNamespace(namespace).withName(ClusterNames.dataClaim(pod)).delete();
                known.remove(pod);
                cluster.podStopped(pod);
                cluster.volumeLost(pod);
            }
        }
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            Pod pod = pods.get(ordinal);
            if (pod == null) {
                create(sts, ordinal);
            } else if (!crashed.contains(pod.getMetadata().getName())
                    && (pod.getStatus() == null || pod.getStatus().getPodIP() == null)) {
                markRunning(pod.getMetadata().getName(), ordinal); // an earlier status write lost a race
            }
        }
    }

    private void create(StatefulSet sts, int ordinal) {
        String pod = name + "-" + ordinal;
        String claim = ClusterNames.dataClaim(pod);
        if (client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get() == null) {
            cluster.volumeLost(pod);
            client.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName(claim).withNamespace(namespace).endMetadata()
                    .withSpec(sts.getSpec().getVolumeClaimTemplates().get(0).getSpec()).build()).create();
        }
        var template = sts.getSpec().getTemplate();
        Pod created = client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(pod).withNamespace(namespace)
                .withLabels(new HashMap<>(template.getMetadata().getLabels()))
                .withAnnotations(new HashMap<>(template.getMetadata().getAnnotations()))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("StatefulSet")
                        .withName(name).withUid(sts.getMetadata().getUid()).withController(true).build())
                .endMetadata()
                .withSpec(template.getSpec())
                .build()).create();
        if (brokenImages.contains(template.getSpec().getContainers().get(0).getImage())) {
            known.add(pod);
            crashed.add(pod);
            client.pods().inNamespace(namespace).withName(pod).editStatus(p -> {
                p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Pending")
                        .withPodIP("127.0.1." + (ordinal + 1))
                        .withConditions(new PodConditionBuilder().withType("Ready").withStatus("False").build()).build());
                return p;
            });
            return;
        }
        Map<String, String> env = new HashMap<>();
        for (EnvVar v : template.getSpec().getContainers().get(0).getEnv()) {
            env.put(v.getName(), v.getValue());
        }
        cluster.podStarted(pod, ordinal, env);
        known.add(pod);
        starts.add(pod);
        markRunning(created.getMetadata().getName(), ordinal);
    }

    private void markRunning(String pod, int ordinal) {
        client.pods().inNamespace(namespace).withName(pod).editStatus(p -> {
            p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                    .withPhase("Running")
                    .withPodIP("127.0.1." + (ordinal + 1))
                    .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
                    .withContainerStatuses(new ContainerStatusBuilder().withName("node").withReady(true).build())
                    .build());
            return p;
        });
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
