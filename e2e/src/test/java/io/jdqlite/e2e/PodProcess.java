package io.jdqlite.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pod run as a local node process: the container's environment (values, downward API fields, envFrom
 * ConfigMaps, $(VAR) references), with cluster DNS names of the set's pods rewritten to their loopback
 * addresses, given to the image's start script (deploy/images/node-start.sh), which turns it into the node's
 * settings as in a real pod and runs the node.
 */
final class PodProcess {
    private static final Pattern REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    /** Every node process this JVM started: killed at exit even when a scenario fails midway. */
    private static final java.util.Set<Process> ALL = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PodProcess::killAll));
    }

    static void killAll() {
        for (Process p : ALL) {
            p.destroyForcibly();
        }
        ALL.clear();
    }
    private final String pod;
    private final Process process;

    private PodProcess(String pod, Process process) {
        this.pod = pod;
        this.process = process;
    }

    static PodProcess start(KubernetesClient client, Pod pod, String ip, Path volume, Path log, Path nodeJar,
                            Path startScript, Map<String, String> podIps) throws IOException {
        Container c = pod.getSpec().getContainers().get(0);
        String ns = pod.getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : c.getEnvFrom() == null ? java.util.List.<EnvFromSource>of() : c.getEnvFrom()) {
            if (from.getConfigMapRef() != null) {
                ConfigMap cm = client.configMaps().inNamespace(ns).withName(from.getConfigMapRef().getName()).get();
                if (cm != null && cm.getData() != null) {
                    env.putAll(cm.getData());
                }
            }
        }
        for (EnvVar v : c.getEnv()) {
            String value = v.getValue();
            if (v.getValueFrom() != null && v.getValueFrom().getFieldRef() != null) {
                value = switch (v.getValueFrom().getFieldRef().getFieldPath()) {
                    case "metadata.name" -> pod.getMetadata().getName();
                    case "metadata.uid" -> pod.getMetadata().getUid();
                    case "metadata.namespace" -> ns;
                    case "status.podIP" -> ip;
                    default -> "";
                };
            }
            env.put(v.getName(), expand(value == null ? "" : value, env));
        }
        // Cluster DNS does not exist here: pod names become their loopback addresses; binds use the pod's IP.
        for (Map.Entry<String, String> e : env.entrySet()) {
            String value = e.getValue();
            for (Map.Entry<String, String> p : podIps.entrySet()) {
                value = value.replaceAll(Pattern.quote(p.getKey()) + "\\.[A-Za-z0-9.-]*\\.svc(\\.cluster\\.local)?", p.getValue());
            }
            e.setValue(value.replace("0.0.0.0", ip));
        }
        String name = pod.getMetadata().getName();
        // What the image provides, here: its Java, the application, the volume (the script decides the rest).
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
        env.put("JDQLITE_NODE_JAR", nodeJar.toString());
        env.put("JDQLITE_DATA_DIR", volume.resolve("data").toString());
        env.put("QUARKUS_HTTP_HOST", ip);
        env.putIfAbsent("QUARKUS_HTTP_PORT", "8080");
        if (System.getenv("E2E_RATIS_LOG") != null) {
            env.put("QUARKUS_LOG_CATEGORY__ORG_APACHE_RATIS__LEVEL", System.getenv("E2E_RATIS_LOG"));
        }
        // The image's own start script (it execs the JVM: this process is the node's).
        ProcessBuilder pb = new ProcessBuilder("sh", startScript.toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process started = pb.start();
        ALL.add(started);
        return new PodProcess(name, started);
    }

    static String expand(String value, Map<String, String> env) {
        Matcher m = REF.matcher(value);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group(0))));
        }
        m.appendTail(b);
        return b.toString();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM (graceful: the node hands over leadership), then SIGKILL after the grace period. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void kill() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return pod;
    }
}
