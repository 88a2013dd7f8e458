package io.jdqlite.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.jdqlite.wire.ErrorCodes;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Debian dqlite shell (go-dqlite) against a 3-node jdqlite cluster in this JVM. Skipped when
 * /usr/bin/dqlite is missing, unless -Djdqlite.requireDqlite=true.
 */
class DqliteShellCompatibilityTest {
    private static final Path SHELL = Path.of("/usr/bin/dqlite");
    private static final int BASE_PORT = 21200;

    @TempDir
    static Path dir;
    static InProcessCluster cluster;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() throws IOException {
        if (!Files.isExecutable(SHELL)) {
            if (Boolean.getBoolean("jdqlite.requireDqlite")) {
                fail("jdqlite.requireDqlite=true but " + SHELL + " is missing (apt-get install go-dqlite)");
            }
            Assumptions.abort(SHELL + " not installed (apt-get install go-dqlite); skipping shell compatibility tests");
        }
        cluster = new InProcessCluster(dir, 3, BASE_PORT, 64 << 20, RowsPager.DEFAULT_PAGE_BYTES);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Run shell(String servers, String database, String command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(SHELL.toString(), "-s", servers, database));
        if (command != null) {
            cmd.add(command);
        }
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("dqlite shell timed out: " + cmd + "\n" + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Runs a command that must succeed, returning its stdout without the final newline. */
    private static String ok(String database, String command) throws IOException, InterruptedException {
        Run r = shell(String.join(",", cluster.addresses()), database, command);
        assertThat(r.exit()).as("exit of %s; stderr: %s; stdout: %s", command, r.err(), r.out()).isZero();
        return r.out().endsWith("\n") ? r.out().substring(0, r.out().length() - 1) : r.out();
    }

    @Test
    void ddlDmlAndEveryType() throws Exception {
        ok("types", "CREATE TABLE t (i INTEGER, f REAL, s TEXT, b BLOB, n TEXT)");
        ok("types", "INSERT INTO t VALUES (9223372036854775807, 1.5, 'héllo ✓ 𝄞', x'00ff10', NULL)");
        ok("types", "INSERT INTO t VALUES (-9223372036854775808, -0.25, '', x'', 'x')");
        assertThat(ok("types", "SELECT i, f, s, b, n FROM t ORDER BY i DESC")).isEqualTo(
                "9223372036854775807|1.5|héllo ✓ 𝄞|[0 255 16]|<nil>\n-9223372036854775808|-0.25||[]|x");
        assertThat(ok("types", "SELECT count(*), sum(f), typeof(n) FROM t WHERE n IS NULL")).isEqualTo("1|1.5|null");
        ok("types", "UPDATE t SET s = 'changed' WHERE i < 0");
        ok("types", "DELETE FROM t WHERE i > 0");
        assertThat(ok("types", "SELECT s FROM t")).isEqualTo("changed");
    }

    @Test
    void dateAndBooleanColumnsUseDqliteTypes() throws Exception {
        ok("dates", "CREATE TABLE e (at DATETIME, flag BOOLEAN, d DATE)");
        ok("dates", "INSERT INTO e VALUES ('2024-01-02 03:04:05', 1, 86400)");
        ok("dates", "INSERT INTO e VALUES (NULL, 0, NULL)");
        String out = ok("dates", "SELECT at, flag, d FROM e ORDER BY rowid");
        String[] lines = out.split("\n");
        assertThat(lines[0]).startsWith("2024-01-02 03:04:05 +0000 UTC|true|1970-01-02");
        assertThat(lines[1]).isEqualTo("<nil>|false|<nil>");
    }

    @Test
    void multipleStatementsInOneCommand() throws Exception {
        ok("multi", "CREATE TABLE m (x); INSERT INTO m VALUES (1); INSERT INTO m VALUES (2)");
        assertThat(ok("multi", "SELECT sum(x) FROM m; SELECT count(*) FROM m")).isEqualTo("3\n2");
    }

    @Test
    void largeValuesAndLargeResults() throws Exception {
        ok("large", "CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT)");
        ok("large", "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5000) "
                + "INSERT INTO big (v) SELECT printf('%050d', x) FROM n");
        String all = ok("large", "SELECT id, v FROM big ORDER BY id");
        String[] lines = all.split("\n");
        assertThat(lines).hasSize(5000);
        assertThat(lines[4999]).isEqualTo("5000|" + String.format("%050d", 5000));
        String huge = ok("large", "SELECT printf('%0500000d', 7)");
        assertThat(huge).hasSize(500_000).endsWith("7");
        ok("large", "INSERT INTO big (v) VALUES (printf('%0200000d', 1))");
        assertThat(ok("large", "SELECT length(v) FROM big WHERE id = 5001")).isEqualTo("200000");
    }

    @Test
    void errorsAreReported() throws Exception {
        Run syntax = shell(String.join(",", cluster.addresses()), "errs", "CREATE TABL x");
        assertThat(syntax.exit()).isEqualTo(1);
        assertThat(syntax.err()).contains("syntax error");
        ok("errs", "CREATE TABLE u (x UNIQUE NOT NULL)");
        ok("errs", "INSERT INTO u VALUES (1)");
        Run unique = shell(String.join(",", cluster.addresses()), "errs", "INSERT INTO u VALUES (1)");
        assertThat(unique.exit()).isEqualTo(1);
        assertThat(unique.err()).contains("UNIQUE constraint failed");
        Run notNull = shell(String.join(",", cluster.addresses()), "errs", "INSERT INTO u VALUES (NULL)");
        assertThat(notNull.err()).contains("NOT NULL constraint failed");
        Run missing = shell(String.join(",", cluster.addresses()), "errs", "SELECT * FROM nope");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no such table: nope");
        assertThat(ok("errs", "SELECT count(*) FROM u")).isEqualTo("1");
    }

    @Test
    void clusterLeaderDescribeWeight() throws Exception {
        String leader = cluster.address(cluster.leader());
        assertThat(ok("x", ".leader")).isEqualTo(leader);
        assertThat(ok("x", ".cluster").split("\n")).containsExactlyInAnyOrder(
                "1|127.0.0.1:21201|voter", "2|127.0.0.1:21202|voter", "3|127.0.0.1:21203|voter");
        assertThat(ok("x", ".describe 127.0.0.1:21202")).isEqualTo("127.0.0.1:21202|1|0");
        ok("x", ".weight 127.0.0.1:21202 5");
        assertThat(ok("x", ".describe 127.0.0.1:21202")).isEqualTo("127.0.0.1:21202|1|5");

        // .remove finds the node by address through CLUSTER, then sends REMOVE to the leader.
        cluster.engine(cluster.leader()).add(new io.jdqlite.engine.Member(9, "127.0.0.1:21209", "127.0.0.1:22209",
                io.jdqlite.engine.Role.SPARE)).get(10, TimeUnit.SECONDS);
        assertThat(ok("x", ".cluster").split("\n")).contains("9|127.0.0.1:21209|spare").hasSize(4);
        ok("x", ".remove 127.0.0.1:21209");
        assertThat(ok("x", ".cluster").split("\n")).containsExactlyInAnyOrder(
                "1|127.0.0.1:21201|voter", "2|127.0.0.1:21202|voter", "3|127.0.0.1:21203|voter");
        assertThat(shell(String.join(",", cluster.addresses()), "x", ".remove 127.0.0.1:21299").exit()).as("unknown address").isNotZero();
    }

    @Test
    void onlyAFollowerGivenStillReachesTheLeader() throws Exception {
        int follower = cluster.follower();
        String address = cluster.address(follower);
        Run r = shell(address, "viaFollower", "CREATE TABLE f (x)");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(shell(address, "viaFollower", "SELECT count(*) FROM f").out().trim()).isEqualTo("0");
        // and a raw OPEN on the follower is refused as dqlite does
        try (WireClient c = new WireClient(cluster.port(follower))) {
            Response open = c.call(new Request.Open("viaFollower", 0, "volatile"));
            assertThat(open).isEqualTo(new Response.Failure(ErrorCodes.SQLITE_IOERR_NOT_LEADER, "not leader"));
            assertThat(c.call(new Request.Leader())).isInstanceOf(Response.Server.class)
                    .isNotEqualTo(new Response.Server(0, ""));
        }
    }

    @Test
    void dumpWritesTheDatabaseFiles() throws Exception {
        ok("dumped", "CREATE TABLE d (x); INSERT INTO d VALUES (42)");
        String leader = cluster.address(cluster.leader());
        assertThat(ok("dumped", ".dump " + leader + " dumped")).isEqualTo("OK");
        byte[] db = Files.readAllBytes(dir.resolve("dumped"));
        assertThat(new String(db, 0, 15, StandardCharsets.US_ASCII)).isEqualTo("SQLite format 3");
        assertThat(dir.resolve("dumped-wal")).exists();
    }
}
