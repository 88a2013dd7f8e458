package io.jdqlite.cli.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * N jdqlite node processes, each in its own network namespace on a private bridge (10.77.{subnet}.0/24),
 * so that one can be killed, paused or cut off from its peers (blackhole routes) while the test, in the
 * root namespace, still reaches every node through the bridge. Needs root and iproute2 (ip netns).
 */
final class NetnsCluster implements AutoCloseable {
    static final int CLIENT_PORT = 9001;
    static final int RAFT_PORT = 10001;
    static final int HTTP_PORT = 8080;
    private final Path root;
    private final Path nodeJar;
    private final int subnet;
    private final int size;
    private final Map<String, String> extraEnv;
    private final Process[] processes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    NetnsCluster(Path root, Path nodeJar, int subnet, int size, Map<String, String> extraEnv) throws IOException {
        this.root = root;
        this.nodeJar = nodeJar;
        this.subnet = subnet;
        this.size = size;
        this.extraEnv = extraEnv;
        this.processes = new Process[size];
        teardownNetwork();
        sh("ip", "link", "add", bridge(), "type", "bridge");
        sh("ip", "addr", "add", "10.77." + subnet + ".254/24", "dev", bridge());
        sh("ip", "link", "set", bridge(), "up");
        for (int i = 0; i < size; i++) {
            String ns = ns(i);
            sh("ip", "netns", "add", ns);
            sh("ip", "link", "add", veth(i), "type", "veth", "peer", "name", "eth0", "netns", ns);
            sh("ip", "link", "set", veth(i), "master", bridge(), "up");
            sh("ip", "netns", "exec", ns, "ip", "addr", "add", ip(i) + "/24", "dev", "eth0");
            sh("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
            sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        }
    }

    /** True when this machine lets us create network namespaces (root and iproute2). */
    static boolean available() {
        try {
            Process p = new ProcessBuilder("ip", "netns", "add", "jdqprobe").redirectErrorStream(true).start();
            boolean ok = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            new ProcessBuilder("ip", "netns", "del", "jdqprobe").start().waitFor(10, TimeUnit.SECONDS);
            return ok;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    String ip(int i) {
        return "10.77." + subnet + "." + (i + 1);
    }

    String address(int i) {
        return ip(i) + ":" + CLIENT_PORT;
    }

    List<String> addresses() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            out.add(address(i));
        }
        return out;
    }

    Path dataDir(int i) {
        return root.resolve("node" + (i + 1));
    }

    Path log(int i) {
        return root.resolve("node" + (i + 1) + ".log");
    }

    void startAll() throws IOException {
        for (int i = 0; i < size; i++) {
            start(i);
        }
    }

    void start(int i) throws IOException {
        start(i, false);
    }

    /**
     * Starts node {@code i} on an empty data directory the documented way for a member whose data was lost:
     * with the join addresses of the others instead of the founding list (its old JDQLITE_ID stays set).
     */
    void rejoin(int i) throws IOException {
        start(i, true);
    }

    private void start(int i, boolean join) throws IOException {
        List<String> members = new ArrayList<>();
        for (int k = 0; k < size; k++) {
            members.add((k + 1) + "@" + address(k) + "/" + ip(k) + ":" + RAFT_PORT);
        }
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns(i),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", nodeJar.toString());
        Map<String, String> env = pb.environment();
        env.put("JDQLITE_ID", Integer.toString(i + 1));
        env.put("JDQLITE_ADDRESS", address(i));
        env.put("JDQLITE_RAFT_ADDRESS", ip(i) + ":" + RAFT_PORT);
        if (join) {
            List<String> others = new ArrayList<>();
            for (int k = 0; k < size; k++) {
                if (k != i) {
                    others.add(address(k));
                }
            }
            env.put("JDQLITE_JOIN", String.join(",", others));
        } else {
            env.put("JDQLITE_CLUSTER", String.join(",", members));
        }
        env.put("JDQLITE_DATA_DIR", dataDir(i).toString());
        env.put("JDQLITE_ELECTION_TIMEOUT_MIN", "500ms");
        env.put("JDQLITE_ELECTION_TIMEOUT_MAX", "1000ms");
        env.put("JDQLITE_WRITE_TIMEOUT", "5s");
        env.put("QUARKUS_HTTP_HOST", ip(i));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(HTTP_PORT));
        // Replication progress (appender resets, INCONSISTENCY replies, snapshot installs) for diagnosing a stall.
        env.put("QUARKUS_LOG_CATEGORY__ORG_APACHE_RATIS_GRPC_SERVER__LEVEL", "INFO");
        env.put("QUARKUS_LOG_CATEGORY__ORG_APACHE_RATIS_SERVER_LEADER__LEVEL", "INFO");
        env.put("QUARKUS_LOG_CATEGORY__ORG_APACHE_RATIS_SERVER_IMPL__LEVEL", "INFO");
        env.putAll(extraEnv);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log(i).toFile()));
        processes[i] = pb.start();
    }

    void awaitReady(int i) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> get(i, "/q/health/ready").statusCode() == 200);
    }

    void awaitAllReady() {
        for (int i = 0; i < size; i++) {
            if (processes[i] != null) {
                awaitReady(i);
            }
        }
    }

    /** The admin status JSON of node i. */
    String status(int i) throws IOException, InterruptedException {
        return get(i, "/admin/status").body();
    }

    private HttpResponse<String> get(int i, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + ip(i) + ":" + HTTP_PORT + path))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** kill -9. */
    void kill(int i) throws InterruptedException {
        if (processes[i] != null) {
            processes[i].destroyForcibly();
            processes[i].waitFor(30, TimeUnit.SECONDS);
            processes[i] = null;
        }
    }

    /** SIGTERM, and waits for the node to exit. */
    void stop(int i) throws InterruptedException {
        if (processes[i] != null) {
            processes[i].destroy();
            if (!processes[i].waitFor(30, TimeUnit.SECONDS)) {
                processes[i].destroyForcibly();
            }
            processes[i] = null;
        }
    }

    /** Cuts node i off from every other node (both directions for TCP); the test still reaches it. */
    void isolate(int i) throws IOException {
        for (int k = 0; k < size; k++) {
            if (k != i) {
                sh("ip", "netns", "exec", ns(i), "ip", "route", "add", "blackhole", ip(k) + "/32");
            }
        }
    }

    void heal(int i) throws IOException {
        for (int k = 0; k < size; k++) {
            if (k != i) {
                sh("ip", "netns", "exec", ns(i), "ip", "route", "del", "blackhole", ip(k) + "/32");
            }
        }
    }

    /** Writes a thread dump of every running node into {@code dir} (node{i}.threads), for a node that hangs. */
    void dumpThreads(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        for (int i = 0; i < size; i++) {
            if (processes[i] != null && processes[i].isAlive()) {
                Path out = dir.resolve("node" + (i + 1) + ".threads");
                Process jstack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                        Long.toString(processes[i].pid())).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                jstack.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Copies every node's log into {@code dir} (kept after the test's temporary directory is gone). */
    void copyLogsTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < size; i++) {
            if (Files.exists(log(i))) {
                Files.copy(log(i), dir.resolve(log(i).getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    void wipe(int i) throws IOException {
        Path dir = dataDir(i);
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private String bridge() {
        return "jdqbr" + subnet;
    }

    private String ns(int i) {
        return "jdq" + subnet + "n" + (i + 1);
    }

    private String veth(int i) {
        return "jdq" + subnet + "v" + (i + 1);
    }

    private void teardownNetwork() {
        for (int i = 0; i < size; i++) {
            quiet("ip", "netns", "del", ns(i));
            quiet("ip", "link", "del", veth(i));
        }
        quiet("ip", "link", "del", bridge());
    }

    private static void sh(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    private static void quiet(String... cmd) {
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException ignored) {
            // best effort cleanup
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < size; i++) {
            try {
                kill(i);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        teardownNetwork();
    }
}
