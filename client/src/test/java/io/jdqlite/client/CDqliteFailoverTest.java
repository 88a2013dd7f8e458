package io.jdqlite.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The JDBC driver (and the client under it) through a kill -9 of the leader of a real 3-node C dqlite
 * (dqlite-benchmark nodes, ports 23160-23162): it finds the new leader, loses no acknowledged write, and
 * reports a write it cannot vouch for as such.
 */
class CDqliteFailoverTest {
    private static final List<String> ADDRESSES = List.of("127.0.0.1:23160", "127.0.0.1:23161", "127.0.0.1:23162");
    @TempDir
    Path tmp;
    private CDqliteNodes nodes;

    @AfterEach
    void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void writesGoOnThroughTheNewLeaderAndNoAcknowledgedOneIsLost() throws Exception {
        CDqliteNodes.assumeInstalled();
        nodes = new CDqliteNodes(tmp, ADDRESSES);
        nodes.start(0);
        DqliteClient client = DqliteClient.create(ClientConfig.builder().addresses(ADDRESSES)
                .leaderSearchTimeout(Duration.ofSeconds(30)).build());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.leader() != null);
        nodes.start(1);
        nodes.start(2);
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
                nodes.kill(ADDRESSES.indexOf(leader));
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
