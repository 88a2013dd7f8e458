package io.jdqlite.cli.shell;

import io.jdqlite.client.ClientConfig;
import io.jdqlite.client.DqliteClient;
import io.jdqlite.node.gateway.InProcessCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * .backup and .dump of a database larger than a DUMP answer could be when it was held in memory: the nodes' result
 * limit is 1 MiB, the database ~5 MiB (3-node cluster, ports 24831-24833, Raft 24881-24883).
 */
class ShellLargeDatabaseTest {
    @TempDir
    static Path tmp;
    static InProcessCluster cluster;
    static DqliteClient client;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        cluster = new InProcessCluster(tmp.resolve("cluster"), 3, 24830, config -> config.maxResultBytes(1 << 20));
        client = DqliteClient.create(ClientConfig.builder().addresses(cluster.addresses()).build());
        try (Shell s = new Shell(client, "large", OutputFormat.TABLE, System.out, System.err)) {
            assertThat(s.run("CREATE TABLE t (i INTEGER PRIMARY KEY, b BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                    + "SELECT i + 1 FROM n WHERE i < 80) INSERT INTO t SELECT i, randomblob(65536) FROM n")).isTrue();
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private Shell shell() {
        return new Shell(client, "large", OutputFormat.TABLE, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String single(ResultSet r) throws Exception {
        assertThat(r.next()).isTrue();
        return r.getString(1);
    }

    private static boolean noDumpFileOnAnyNode() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (Stream<Path> files = Files.list(cluster.dataDir(i))) {
                if (files.anyMatch(p -> p.getFileName().toString().matches("dump.*\\.tmp"))) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void aBackupHoldsEveryRow() throws Exception {
        Path file = tmp.resolve("large.db");
        try (Shell s = shell()) {
            assertThat(s.run(".backup " + file)).as(err.toString(StandardCharsets.UTF_8)).isTrue();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("backed up large to " + file);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty(); // a short transfer reports no progress
        assertThat(Files.size(file)).isGreaterThan(5L << 20);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(single(c.createStatement().executeQuery("PRAGMA integrity_check"))).isEqualTo("ok");
            assertThat(single(c.createStatement().executeQuery("SELECT count(*) || ':' || sum(length(b)) FROM t")))
                    .isEqualTo("80:5242880");
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(ShellLargeDatabaseTest::noDumpFileOnAnyNode);
    }

    @Test
    void aQueryLargerThanTheNodesResultLimitIsPrintedWhole() throws Exception {
        try (Shell s = new Shell(client, "large", OutputFormat.CSV, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))) {
            // ~5 MiB of blobs (as hex, ~10 MiB of text) against a 1 MiB limit: the leader spills the rows to disk
            assertThat(s.run("SELECT i, length(b), b FROM t ORDER BY i")).as(err.toString(StandardCharsets.UTF_8)).isTrue();
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(81); // the header and 80 rows
        for (int i = 1; i <= 80; i++) {
            String[] fields = lines.get(i).split(",");
            assertThat(fields[0]).isEqualTo(String.valueOf(i));
            assertThat(fields[1]).isEqualTo("65536");
            assertThat(fields[2].length()).as("the blob, whole").isGreaterThanOrEqualTo(2 * 65536);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            for (int i = 0; i < 3; i++) {
                try (Stream<Path> files = Files.list(cluster.dataDir(i))) {
                    if (files.anyMatch(p -> p.getFileName().toString().matches("result.*\\.tmp"))) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    @Test
    void aDumpIsReadFromOneSnapshotWithoutWarning() throws Exception {
        Path file = tmp.resolve("large.sql");
        try (Shell s = shell()) {
            assertThat(s.run(".dump " + file)).as(err.toString(StandardCharsets.UTF_8)).isTrue();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("dumped large to " + file + " (1 tables, 80 rows)");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(Files.readString(file)).contains("INSERT INTO \"t\"(\"i\",\"b\") VALUES(80,X'").endsWith("COMMIT;\n");
    }
}
