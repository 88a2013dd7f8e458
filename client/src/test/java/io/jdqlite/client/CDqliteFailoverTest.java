package io.jdqlite.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The JDBC driver (and the client under it) through a kill -9 of the leader of a real 3-node C dqlite
 * (dqlite-benchmark nodes, ports 23160-23162): it finds the new leader, loses no acknowledged write, and
 * reports a write it cannot vouch for as such.
 */
class CDqliteFailoverTest {
    private static final Path BENCHMARK = Path.of("/usr/bin/dqlite-benchmark");
    private static final List<String> ADDRESSES = List.of("127.0.0.1:23160", "127.0.0.1:23161", "127.0.0.1:23162");
    @TempDir
    Path tmp;
    private final List<Process> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : nodes) {
            p.destroyForcibly().waitFor();
        }
    }

    private Process startNode(int i) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(BENCHMARK.toString(), "--db", ADDRESSES.get(i), "--dir",
                tmp.resolve("c" + i).toString()));
        if (i > 0) {
            cmd.addAll(List.of("--join", ADDRESSES.get(0)));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("c" + i + ".log").toFile()).start();
        nodes.add(p);
        return p;
    }

    @Test
    void writesGoOnThroughTheNewLeaderAndNoAcknowledgedOneIsLost() throws Exception {
        boolean present = Files.isExecutable(BENCHMARK);
        assertThat(present || !Boolean.getBoolean("jdqlite.requireDqlite"))
                .as("go-dqlite's dqlite-benchmark is required (-Djdqlite.requireDqlite)").isTrue();
        assumeTrue(present, "needs /usr/bin/dqlite-benchmark (apt-get install go-dqlite)");
        startNode(0);
        DqliteClient client = DqliteClient.create(ClientConfig.builder().addresses(ADDRESSES)
                .leaderSearchTimeout(Duration.ofSeconds(30)).build());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.leader() != null);
        startNode(1);
        startNode(2);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> client.cluster().stream().filter(n -> n.role() == NodeRole.VOTER).count() == 3);

        String url = "jdbc:dqlite://" + String.join(",", ADDRESSES) + "/failover?requestTimeout=5s&leaderSearchTimeout=30s";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE f (id INTEGER PRIMARY KEY)");
        }
        String leader = client.leader().address();
        long acknowledged = 0;
        long unknown = 0;
        long acknowledgedAfterKill = 0;
        boolean killed = false;
        Connection c = DriverManager.getConnection(url);
        for (long id = 1; acknowledgedAfterKill < 50; id++) {
            if (id == 100 && !killed) {
                nodes.get(ADDRESSES.indexOf(leader)).destroyForcibly().waitFor();
                killed = true;
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO f VALUES (?)")) {
                p.setLong(1, id);
                p.executeUpdate();
                acknowledged++;
                acknowledgedAfterKill += killed ? 1 : 0;
            } catch (SQLException e) {
                assertThat(killed).as("no error before the kill: " + e.getMessage()).isTrue();
                if (DqliteException.STATE_OUTCOME_UNKNOWN.equals(e.getSQLState())) {
                    unknown++;
                }
                c.close();
                Thread.sleep(200);
                c = DriverManager.getConnection(url); // finds the new leader once one is elected
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM f")) {
            rs.next();
            long rows = rs.getLong(1);
            assertThat(rows).as("every acknowledged write is there; at most the unknown ones besides")
                    .isBetween(acknowledged, acknowledged + unknown);
        } finally {
            c.close();
        }
        assertThat(client.leader().address()).isNotEqualTo(leader);
        client.close();
    }
}
