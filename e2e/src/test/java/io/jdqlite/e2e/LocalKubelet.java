package io.jdqlite.e2e;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a cluster's StatefulSet controller and kubelet do, for the in-JVM Kubernetes API: pods (and their
 * claims) from each StatefulSet's template up to spec.replicas, each run as a real node process on its own
 * loopback address (127.0.S.N), readiness from the node's health endpoint, restarts of dead containers,
 * pods removed above replicas or when their StatefulSet is gone (there is no garbage collector here).
 */
final class LocalKubelet implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final Path root;
    private final Path nodeJar;
    private final Path startScript;
    private final Map<String, PodProcess> running = new ConcurrentHashMap<>();
    private final Map<String, String> ips = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    /** Each kubelet (one per scenario) gets its own 127.0.S.0/24, so no scenario meets another's nodes. */
    private static final java.util.concurrent.atomic.AtomicInteger SUBNETS = new java.util.concurrent.atomic.AtomicInteger(100);
    private final int subnet = SUBNETS.incrementAndGet();
    private int nextIp = 1;

    LocalKubelet(KubernetesClient client, String namespace, Path root, Path nodeJar, Path startScript) {
        this.client = client;
        this.namespace = namespace;
        this.root = root;
        this.nodeJar = nodeJar;
        this.startScript = startScript;
        loop.scheduleWithFixedDelay(this::syncQuietly, 0, 300, TimeUnit.MILLISECONDS);
    }

    String ip(String pod) {
        return ips.computeIfAbsent(pod, p -> "127.0." + subnet + "." + (nextIp++));
    }

    /** The pod given loopback address {@code ip}. */
    String podAt(String ip) {
        return ips.entrySet().stream().filter(e -> e.getValue().equals(ip)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pod has address " + ip + " (pods: " + ips + ")"));
    }

    Path log(String pod) {
        return root.resolve(pod + ".log");
    }

    Path volume(String pod) {
        return root.resolve("pvc-" + pod);
    }

    /** kill -9 of a pod's node; the kubelet restarts the container. */
    void killContainer(String pod) {
        PodProcess p = running.get(pod);
        if (p != null) {
            p.kill();
        }
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException | IOException e) {
            // the API may be shutting down, or a write raced; the next round retries
            if (!loop.isShutdown()) {
                System.err.println("kubelet: " + e);
            }
        }
    }

    private synchronized void sync() throws IOException {
        Set<String> wanted = new HashSet<>();
        for (StatefulSet sts : client.apps().statefulSets().inNamespace(namespace).list().getItems()) {
            String name = sts.getMetadata().getName();
            int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
            for (Pod p : owned(name)) {
                String pod = p.getMetadata().getName();
                if (ordinal(pod) >= replicas) {
                    client.pods().inNamespace(namespace).withName(pod).delete();
                    client.persistentVolumeClaims().inNamespace(namespace).withName(claim(sts, pod)).delete();
                }
            }
            for (int i = 0; i < replicas; i++) {
                String pod = name + "-" + i;
                wanted.add(pod);
                Pod existing = client.pods().inNamespace(namespace).withName(pod).get();
                if (existing == null) {
                    System.err.println("kubelet: creating " + pod + " (replicas " + replicas + ")");
                    create(sts, pod);
                } else {
                    PodProcess proc = running.get(pod);
                    if (proc == null || !proc.alive()) {
                        start(existing); // container restart (restartPolicy Always)
                    }
                    updateReadiness(existing);
                }
            }
        }
        for (String pod : Set.copyOf(running.keySet())) {
            Pod p = client.pods().inNamespace(namespace).withName(pod).get();
            if (p == null || !wanted.contains(pod)) {
                PodProcess proc = running.remove(pod);
                if (proc != null) {
                    proc.stop();
                }
                if (p != null) {
                    client.pods().inNamespace(namespace).withName(pod).delete(); // StatefulSet gone
                }
            }
        }
    }

    private List<Pod> owned(String sts) {
        return client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> p.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getName().equals(sts)))
                .toList();
    }

    private static int ordinal(String pod) {
        return Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
    }

    private static String claim(StatefulSet sts, String pod) {
        return sts.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName() + "-" + pod;
    }

    private void create(StatefulSet sts, String pod) throws IOException {
        PodProcess old = running.remove(pod);
        if (old != null) {
            old.stop(); // the pod was deleted: its container goes before the new pod's starts
        }
        String claim = claim(sts, pod);
        if (client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get() == null) {
            wipe(volume(pod)); // a new claim is a new, empty volume
            client.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName(claim).withNamespace(namespace).endMetadata()
                    .withSpec(sts.getSpec().getVolumeClaimTemplates().get(0).getSpec()).build()).create();
        }
        var t = sts.getSpec().getTemplate();
        Pod created = client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(pod).withNamespace(namespace)
                .withLabels(new HashMap<>(t.getMetadata().getLabels()))
                .withAnnotations(t.getMetadata().getAnnotations() == null ? new HashMap<>() : new HashMap<>(t.getMetadata().getAnnotations()))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("StatefulSet")
                        .withName(sts.getMetadata().getName()).withUid(sts.getMetadata().getUid()).withController(true).build())
                .endMetadata()
                .withSpec(t.getSpec())
                .build()).create();
        String ip = ip(pod);
        client.pods().inNamespace(namespace).withName(pod).editStatus(p -> {
            if (p.getStatus() == null) {
                p.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
            }
            p.getStatus().setPodIP(ip);
            p.getStatus().setPhase("Running");
            p.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("False").build()));
            return p;
        });
        start(client.pods().inNamespace(namespace).withName(created.getMetadata().getName()).get());
    }

    private void start(Pod pod) throws IOException {
        String name = pod.getMetadata().getName();
        Map<String, String> podIps = new HashMap<>();
        for (Map.Entry<String, String> e : ips.entrySet()) {
            podIps.put(e.getKey(), e.getValue());
        }
        // Every ordinal the set may reach gets its address up front: founders list their peers.
        String base = name.substring(0, name.lastIndexOf('-'));
        for (int i = 0; i < 9; i++) {
            podIps.put(base + "-" + i, ip(base + "-" + i));
        }
        running.put(name, PodProcess.start(client, pod, ip(name), volume(name), log(name), nodeJar, startScript, podIps));
    }

    private void updateReadiness(Pod pod) {
        boolean ready;
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://" + ip(pod.getMetadata().getName())
                    + ":8080/q/health/ready")).timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
            ready = r.statusCode() == 200;
        } catch (IOException e) {
            ready = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        String want = ready ? "True" : "False";
        boolean same = pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && want.equals(c.getStatus()));
        if (!same) {
            client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(p -> {
                if (p.getStatus() == null) {
                    p.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
                }
                p.getStatus().setPodIP(ip(p.getMetadata().getName()));
                p.getStatus().setPhase("Running");
                p.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus(want).build()));
                return p;
            });
        }
    }

    static void wipeTree(Path dir) throws IOException {
        wipe(dir);
    }

    private static void wipe(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.values().forEach(PodProcess::kill);
        running.clear();
        PodProcess.killAll(); // anything started while the loop was stopping
    }
}
