package io.jdqlite.cli;

import io.jdqlite.wire.HostPort;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jdqlite local}: runs an N-node cluster as local processes in the foreground until Ctrl-C.
 * Running it again with the same data directory restarts the same cluster. A node that exits on its own
 * meanwhile is started again ({@link NodeSupervisor}).
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Run a local cluster of node processes in the foreground; Ctrl-C stops it.",
                "Node i (from 1) listens on --port+i-1 (dqlite), --raft-port+i-1 (Raft), --http-port+i-1 (admin,"
                        + " health, metrics) and keeps its data in <data>/node<i> and its log in <data>/node<i>.log.",
                "A node that exits on its own (killed, or ended by an engine failure) is started again."})
final class LocalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--port", defaultValue = "9001", description = "Client (dqlite) port of node 1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--raft-port", description = "Raft port of node 1 (default: --port + 1000).")
    Integer raftPort;

    @Option(names = "--http-port", defaultValue = "8001", description = "HTTP port of node 1 (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address every port binds to (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--data", defaultValue = ".jdqlite/local",
            description = "Data directory, kept between runs (default: ${DEFAULT-VALUE} under the working directory).")
    Path data;

    @Option(names = "--ready-timeout", defaultValue = "120",
            description = "Seconds to wait for every node to be ready (default: ${DEFAULT-VALUE}).")
    int readyTimeoutSeconds;

    @Option(names = "--stop-timeout", defaultValue = "20",
            description = "Seconds nodes get to stop after SIGTERM before they are killed (default: ${DEFAULT-VALUE}).")
    int stopTimeoutSeconds;

    @Option(names = "--restart", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = {"Start a node that exits unexpectedly again (after 1 s, doubling up to 30 s), as Kubernetes"
                    + " would; --no-restart only reports it (default: restart)."})
    boolean restart;

    private static final java.util.regex.Pattern LEADER = java.util.regex.Pattern.compile("\"leader\"\\s*:\\s*true");
    private static final HttpClient STATUS_HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final List<NodeSupervisor> supervisors = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jdqlite-local-restart");
        t.setDaemon(true);
        return t;
    });
    /** Counted down when the command is done: stopped, or (without restarts) every node gone. */
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean ready;
    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        LocalCluster cluster;
        Path jar;
        Path dataDir = data.toAbsolutePath().normalize();
        try {
            cluster = LocalCluster.plan(nodes, host, port, raftPort != null ? raftPort : port + 1000, httpPort, dataDir);
            jar = NodeJar.locate(System.getProperties(), System.getenv(), Path.of(""));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        checkPortsFree(cluster);
        Files.createDirectories(dataDir);
        out.println("jdqlite local: " + nodes + " node(s), data in " + dataDir
                + (Files.isDirectory(cluster.nodes().get(0).dataDir()) ? " (restarting the existing cluster)" : " (new cluster)"));

        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "jdqlite-local-stop"));
        for (LocalCluster.Node node : cluster.nodes()) {
            NodeSupervisor supervisor = new NodeSupervisor(node, () -> start(jar, node), timer, System.err,
                    status -> exitedUnexpectedly(node, status));
            supervisors.add(supervisor);
            supervisor.start();
            out.printf("  node %d: dqlite %s, raft %s, http http://%s:%d, log %s%n", node.id(), node.address(),
                    node.raftAddress(), host, node.httpPort(), node.logFile());
        }
        if (!awaitReady(cluster, out)) {
            stopAll();
            return 1;
        }
        ready = true;
        if (restart) {
            supervisors.forEach(NodeSupervisor::restartOnExit);
            reportRestartedNodesReady();
        }
        out.println("Cluster ready. Connect with:");
        out.println("  " + cluster.connectCommand("db"));
        out.println("Press Ctrl-C to stop.");
        finished.await();
        return stopping ? 0 : 1;
    }

    private Process start(Path jar, LocalCluster.Node node) throws IOException {
        Files.createDirectories(node.dataDir());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString()));
        command.addAll(nodeJvmOptions());
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(node.dataDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(node.logFile().toFile()));
        pb.environment().putAll(node.env());
        return pb.start();
    }

    /** JVM options for the node processes, from JDQLITE_NODE_JAVA_OPTS (e.g. "-Xmx512m"). */
    static List<String> nodeJvmOptions() {
        String opts = System.getenv("JDQLITE_NODE_JAVA_OPTS");
        return opts == null || opts.isBlank() ? List.of() : List.of(opts.trim().split("\\s+"));
    }

    /** A port already taken would make a node fail later with a less obvious message. */
    private void checkPortsFree(LocalCluster cluster) {
        for (LocalCluster.Node node : cluster.nodes()) {
            for (String address : List.of(node.address(), node.raftAddress(), host + ":" + node.httpPort())) {
                int p = HostPort.parse(address).port();
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(host, p));
                } catch (IOException e) {
                    throw new ParameterException(spec.commandLine(), "port " + p + " on " + host + " (node " + node.id()
                            + ") is not available: " + e.getMessage() + "; is another cluster running?");
                }
            }
        }
    }

    private boolean awaitReady(LocalCluster cluster, PrintStream out) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plusSeconds(readyTimeoutSeconds);
        boolean[] ready = new boolean[cluster.nodes().size()];
        while (true) {
            if (stopping) {
                return false; // Ctrl-C while starting: the nodes were stopped on purpose
            }
            boolean all = true;
            for (int i = 0; i < ready.length; i++) {
                LocalCluster.Node node = cluster.nodes().get(i);
                Process process = supervisors.get(i).process();
                if (!process.isAlive()) {
                    System.err.println("node " + node.id() + " exited with status " + process.exitValue()
                            + " before becoming ready; the end of " + node.logFile() + ":");
                    System.err.println(tail(node.logFile(), 20));
                    return false;
                }
                ready[i] = ready[i] || isReady(http, node);
                all &= ready[i];
            }
            if (all) {
                return true;
            }
            if (Instant.now().isAfter(deadline)) {
                for (int i = 0; i < ready.length; i++) {
                    if (!ready[i]) {
                        LocalCluster.Node node = cluster.nodes().get(i);
                        System.err.println("node " + node.id() + " not ready after " + readyTimeoutSeconds
                                + "s; see " + node.logFile() + " and http://" + host + ":" + node.httpPort()
                                + "/q/health/ready");
                    }
                }
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(250); // poll interval
        }
    }

    private boolean isReady(HttpClient http, LocalCluster.Node node) throws InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + host + ":" + node.httpPort() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    /** Says when a node started again is ready again: until then it is catching up with what it missed. */
    private void reportRestartedNodesReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        int[] reported = new int[supervisors.size()];
        timer.scheduleWithFixedDelay(() -> {
            for (int i = 0; i < reported.length && !stopping; i++) {
                NodeSupervisor s = supervisors.get(i);
                int restarts = s.restarts();
                try {
                    if (restarts > reported[i] && s.process().isAlive() && isReady(http, s.node())) {
                        reported[i] = restarts;
                        System.err.println("node " + s.node().id() + " is ready again");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return; // stopping
                } catch (RuntimeException e) {
                    // asked again next time
                }
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** Whether every node was ready once (for tests). */
    boolean ready() {
        return ready;
    }

    /** The node processes' supervisors, in node order (for tests). */
    List<NodeSupervisor> supervisors() {
        return List.copyOf(supervisors);
    }

    /** Only without restarts: reported once the cluster was ready (before, awaitReady reports it). */
    private void exitedUnexpectedly(LocalCluster.Node node, int status) {
        if (!ready) {
            return;
        }
        System.err.println("node " + node.id() + " exited unexpectedly with status " + status + "; see "
                + node.logFile() + (restart ? "" : " (--no-restart: it stays down)"));
        if (supervisors.stream().noneMatch(s -> s.process().isAlive())) {
            finished.countDown();
        }
    }

    /** SIGTERM to the nodes (the followers together, then the leader), then kill whatever outlives the timeout. */
    synchronized void stopAll() {
        if (stopping) {
            return;
        }
        stopping = true;
        try {
            if (supervisors.isEmpty()) {
                return;
            }
            System.out.println("Stopping " + supervisors.size() + " node(s)...");
            Instant deadline = Instant.now().plusSeconds(stopTimeoutSeconds);
            // The others first, then the leader: a leader stopped with them would try to hand leadership to
            // a node that is going too, and wait for that transfer to time out.
            List<NodeSupervisor> leaders = supervisors.stream().filter(this::isLeader).toList();
            List<NodeSupervisor> others = supervisors.stream().filter(s -> !leaders.contains(s)).toList();
            stopTogether(others, deadline);
            stopTogether(leaders, deadline);
            System.out.println("Stopped.");
        } finally {
            timer.shutdownNow();
            finished.countDown();
        }
    }

    private static void stopTogether(List<NodeSupervisor> group, Instant deadline) {
        group.forEach(NodeSupervisor::stop);
        for (NodeSupervisor supervisor : group) {
            try {
                supervisor.awaitStopped(deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                supervisor.process().destroyForcibly();
            }
        }
    }

    /** What the node says of itself; a node that does not answer is not waited for as a leader. */
    private boolean isLeader(NodeSupervisor supervisor) {
        Process process = supervisor.process();
        if (process == null || !process.isAlive()) {
            return false;
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + host + ":" + supervisor.node().httpPort() + "/admin/status"))
                .timeout(Duration.ofSeconds(1)).GET().build();
        try {
            String body = STATUS_HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body();
            return LEADER.matcher(body).find();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
