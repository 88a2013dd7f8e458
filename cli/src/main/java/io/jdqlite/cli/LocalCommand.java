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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jdqlite local}: runs an N-node cluster as local processes in the foreground until Ctrl-C.
 * Running it again with the same data directory restarts the same cluster.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Run a local cluster of node processes in the foreground; Ctrl-C stops it.",
                "Node i (from 1) listens on --port+i-1 (dqlite), --raft-port+i-1 (Raft), --http-port+i-1 (admin,"
                        + " health, metrics) and keeps its data in <data>/node<i> and its log in <data>/node<i>.log."})
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

    private final List<Process> children = new ArrayList<>();
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
            children.add(start(jar, node));
            out.printf("  node %d: dqlite %s, raft %s, http http://%s:%d, log %s%n", node.id(), node.address(),
                    node.raftAddress(), host, node.httpPort(), node.logFile());
        }
        if (!awaitReady(cluster, out)) {
            stopAll();
            return 1;
        }
        out.println("Cluster ready. Connect with:");
        out.println("  " + cluster.connectCommand("db"));
        out.println("Press Ctrl-C to stop.");
        return waitForExit(cluster, out);
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
            boolean all = true;
            for (int i = 0; i < ready.length; i++) {
                LocalCluster.Node node = cluster.nodes().get(i);
                if (!children.get(i).isAlive()) {
                    System.err.println("node " + node.id() + " exited with status " + children.get(i).exitValue()
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

    /** Stays in the foreground until the children are gone: normally because Ctrl-C is stopping them. */
    private int waitForExit(LocalCluster cluster, PrintStream out) {
        List<CompletableFuture<Process>> exits = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            LocalCluster.Node node = cluster.nodes().get(i);
            exits.add(children.get(i).onExit().whenComplete((p, err) -> {
                if (!stopping) {
                    System.err.println("node " + node.id() + " exited unexpectedly with status " + p.exitValue()
                            + "; see " + node.logFile());
                }
            }));
        }
        CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).join();
        return stopping ? 0 : 1;
    }

    /** SIGTERM to every node at once (so they shut down in parallel), then kill whatever outlives the timeout. */
    private synchronized void stopAll() {
        if (children.isEmpty() || stopping && children.stream().noneMatch(Process::isAlive)) {
            return;
        }
        stopping = true;
        System.out.println("Stopping " + children.size() + " node(s)...");
        children.forEach(Process::destroy);
        Instant deadline = Instant.now().plusSeconds(stopTimeoutSeconds);
        for (Process p : children) {
            try {
                long left = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
                if (!p.waitFor(left, TimeUnit.MILLISECONDS)) {
                    System.err.println("node process " + p.pid() + " did not stop in time; killing it");
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        System.out.println("Stopped.");
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
