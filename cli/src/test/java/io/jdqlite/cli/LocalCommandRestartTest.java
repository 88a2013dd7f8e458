package io.jdqlite.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jdqlite.client.ClientConfig;
import io.jdqlite.client.DqliteClient;
import io.jdqlite.client.DqliteConnection;
import io.jdqlite.client.Rows;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code jdqlite local} as a user runs it, on three real node processes: a node killed with SIGKILL is started
 * again by the command, with the writes it missed, and Ctrl-C's stop still ends every process.
 */
class LocalCommandRestartTest {
    private static final Path NODE_JAR = Path.of(System.getProperty("user.dir")).getParent()
            .resolve("node/target/quarkus-app/quarkus-run.jar");
    private static final int PORT = 25100;
    private static final int RAFT_PORT = 25110;
    private static final int HTTP_PORT = 25120;
    private static final List<String> ADDRESSES = List.of("127.0.0.1:25100", "127.0.0.1:25101", "127.0.0.1:25102");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final LocalCommand command = new LocalCommand();
    private CompletableFuture<Integer> run;
    private final java.io.ByteArrayOutputStream errBytes = new java.io.ByteArrayOutputStream();
    private final java.io.PrintStream originalErr = System.err;

    @BeforeEach
    void startCluster() throws InterruptedException {
        assertThat(NODE_JAR).as("node application (mvn install -pl node)").exists();
        System.setProperty("jdqlite.nodeJar", NODE_JAR.toString());
        System.setErr(new java.io.PrintStream(new java.io.OutputStream() { // the command's reports, still shown
            @Override
            public synchronized void write(int b) {
                originalErr.write(b);
                errBytes.write(b);
            }
        }, true));
        run = CompletableFuture.supplyAsync(() -> new CommandLine(command).execute("--nodes", "3",
                "--port", Integer.toString(PORT), "--raft-port", Integer.toString(RAFT_PORT),
                "--http-port", Integer.toString(HTTP_PORT), "--data", dir.toString()));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(command::ready);
        assertThat(ready(1) && ready(2) && ready(3)).isTrue();
    }

    @AfterEach
    void stopCluster() throws Exception {
        System.clearProperty("jdqlite.nodeJar");
        System.setErr(originalErr);
        command.stopAll();
        run.get(60, TimeUnit.SECONDS);
    }

    @Test
    void aKilledNodeIsStartedAgainAndCatchesUpWithWhatItMissed() throws Exception {
        try (DqliteClient client = DqliteClient.create(ClientConfig.builder().addresses(ADDRESSES)
                .leaderSearchTimeout(Duration.ofSeconds(30)).build());
             DqliteConnection conn = client.open("db")) {
            conn.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            conn.exec("INSERT INTO t (v) VALUES ('before')");
        }
        NodeSupervisor node2 = command.supervisors().get(1);
        Process killed = node2.process();

        killed.destroyForcibly(); // SIGKILL, as the OOM killer or kill -9 would
        killed.waitFor(10, TimeUnit.SECONDS);
        try (DqliteClient client = DqliteClient.create(ClientConfig.builder().addresses(ADDRESSES)
                .leaderSearchTimeout(Duration.ofSeconds(30)).build());
             DqliteConnection conn = client.open("db")) {
            for (int i = 0; i < 50; i++) {
                conn.exec("INSERT INTO t (v) VALUES ('while node 2 was down')");
            }
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> node2.restarts() == 1);
        assertThat(node2.process().pid()).isNotEqualTo(killed.pid());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> ready(2));
        assertThat(Files.readString(dir.resolve("node2.log"))).contains("---- jdqlite local: starting node 2 again");
        await().atMost(Duration.ofSeconds(10)).until(() -> errBytes.toString().contains("node 2 is ready again"));
        assertThat(errBytes.toString()).contains("node 2 exited with status 137", "node 2 started again");

        // Node 2 answers from its own files once it leads.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(this::transferToNode2);
        try (DqliteClient client = DqliteClient.create(ClientConfig.builder().addresses(ADDRESSES)
                .leaderSearchTimeout(Duration.ofSeconds(30)).build());
             DqliteConnection conn = client.open("db");
             Rows rows = conn.query("SELECT count(*) FROM t")) {
            assertThat(conn.serverAddress()).isEqualTo(ADDRESSES.get(1));
            assertThat(rows.next()).isTrue();
            assertThat(rows.get(0)).isEqualTo(51L);
        }
        assertThat(command.supervisors().get(0).restarts()).isZero();
        assertThat(command.supervisors().get(2).restarts()).isZero();
    }

    @Test
    void stoppingEndsEveryProcessAndRestartsNone() throws Exception {
        List<Process> processes = command.supervisors().stream().map(NodeSupervisor::process).toList();
        int leader = await().atMost(Duration.ofSeconds(30)).until(this::leaderNode, n -> n > 0);

        command.stopAll();

        assertThat(run.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(processes).noneMatch(Process::isAlive);
        // Stopped after the others, the leader does not wait for a transfer to a node that is going too.
        assertThat(Files.readString(dir.resolve("node" + leader + ".log")))
                .doesNotContain("did not finish within").doesNotContain("leadership did not move");
        Thread.sleep(1500); // past the first back-off
        assertThat(command.supervisors()).allSatisfy(s -> {
            assertThat(s.restarts()).isZero();
            assertThat(s.process().isAlive()).isFalse();
        });
    }

    /** The node (from 1) that says it leads, or 0. */
    private int leaderNode() throws InterruptedException {
        for (int node = 1; node <= 3; node++) {
            try {
                String status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (HTTP_PORT + node - 1) + "/admin/status"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
                if (status.matches("(?s).*\"leader\"\\s*:\\s*true.*")) {
                    return node;
                }
            } catch (IOException e) {
                // ask the next
            }
        }
        return 0;
    }

    private boolean ready(int node) throws InterruptedException {
        return get(node, "/q/health/ready") == 200;
    }

    private int get(int node, String path) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (HTTP_PORT + node - 1) + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Asks each node to hand leadership to node 2 (only the leader does); true once node 2 leads. */
    private boolean transferToNode2() throws InterruptedException {
        for (int node = 1; node <= 3; node++) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + (HTTP_PORT + node - 1) + "/admin/transfer"))
                        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":2}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"leaderId\":2")) {
                    return true;
                }
            } catch (IOException e) {
                // that node is not answering right now; try the next
            }
        }
        return false;
    }
}
