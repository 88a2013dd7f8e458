package io.jdqlite.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jdqlite.wire.MessageHeader;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import io.jdqlite.wire.ResponseType;
import io.jdqlite.wire.Value;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DUMP answers are sent from the dump's file, whatever the node's result limit, as the very bytes of a FILES
 * message, and the file goes once sent or once the client has gone (one node, ports 24811 and 24861; another
 * one restarted, 24821 and 24871).
 */
class DumpStreamTest {
    private static final int BASE_PORT = 24810;
    private static final int SMALL_RECEIVE_BUFFER = 64 * 1024;

    @TempDir
    static Path dir;
    static InProcessCluster cluster;
    static int port;

    @BeforeAll
    static void start() throws IOException {
        cluster = new InProcessCluster(dir.resolve("cluster"), 1, BASE_PORT, config -> config.maxResultBytes(1 << 20));
        port = cluster.port(0);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static WireClient open(String db, int receiveBuffer) throws IOException {
        return WireClient.withDatabase(port, db, receiveBuffer);
    }

    /** Creates {@code db} with {@code rows} rows of 64 KiB of random bytes each. */
    private static void fill(String db, int rows) throws IOException {
        try (WireClient c = open(db, 0)) {
            assertThat(c.call(new Request.ExecSql(0, "CREATE TABLE t (i INTEGER PRIMARY KEY, b BLOB)", List.of())))
                    .isInstanceOf(Response.Result.class);
            assertThat(c.call(new Request.ExecSql(0, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    + "WHERE i < ?) INSERT INTO t SELECT i, randomblob(65536) FROM n", List.of(Value.integer(rows)))))
                    .isEqualTo(new Response.Result(rows, rows));
        }
    }

    private static List<Path> dumpFiles() throws IOException {
        try (Stream<Path> files = Files.list(cluster.dataDir(0))) {
            return files.filter(p -> p.getFileName().toString().matches("dump.*\\.tmp")).toList();
        }
    }

    private static String fingerprint(ResultSet r) throws SQLException {
        assertThat(r.next()).isTrue();
        return r.getString(1);
    }

    private static final String FINGERPRINT = "SELECT count(*) || ':' || sum(length(b)) || ':' || group_concat(hex(substr(b, 1, 8)), ',') FROM t";

    @Test
    void aDatabaseLargerThanTheResultLimitIsSentWholeAsTheBytesOfAFilesMessage() throws Exception {
        fill("large", 80); // ~5 MiB against a 1 MiB result limit
        byte[] message;
        String expected;
        try (WireClient c = open("large", 0)) {
            Response.Rows rows = (Response.Rows) c.call(new Request.QuerySql(0, FINGERPRINT, List.of()));
            expected = (String) rows.rows().get(0).get(0).value();
            c.send(new Request.Dump("large"));
            message = c.receiveMessageBytes();
        }
        ByteBuffer header = ByteBuffer.wrap(message);
        assertThat(MessageHeader.typeOf(header)).isEqualTo(ResponseType.FILES.code());
        Response.Files files = (Response.Files) Response.read(MessageHeader.read(header.duplicate(), Integer.MAX_VALUE),
                ByteBuffer.wrap(message, 8, message.length - 8));
        assertThat(files.toBytes()).as("the bytes Response.Files encodes").isEqualTo(message);
        assertThat(files.files()).extracting(Response.FileEntry::name).containsExactly("large", "large-wal");
        assertThat(files.files().get(0).content().length).isGreaterThan(5 << 20);
        assertThat(files.files().get(1).content()).isEmpty();

        Path db = dir.resolve("large.db");
        Files.write(db, files.files().get(0).content());
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            assertThat(fingerprint(sqlite.createStatement().executeQuery("PRAGMA integrity_check"))).isEqualTo("ok");
            assertThat(fingerprint(sqlite.createStatement().executeQuery(FINGERPRINT))).isEqualTo(expected).startsWith("80:5242880:");
        }
        await().atMost(Duration.ofSeconds(10)).until(DumpStreamTest::dumpFiles, List::isEmpty);
    }

    @Test
    void aClientGoneMidTransferLeavesNoDumpFileAndDumpsWaitForTheOneBeingSent() throws Exception {
        fill("huge", 256); // 16 MiB: more than the socket buffers on both sides hold
        try (WireClient c = open("huge", SMALL_RECEIVE_BUFFER)) {
            c.sendRaw(concat(new Request.Dump("huge").toBytes(), new Request.Dump("huge").toBytes()));
            assertThat(MessageHeader.typeOf(ByteBuffer.wrap(c.receiveBytes(8)))).isEqualTo(ResponseType.FILES.code());
            // The first answer stalls on the client; the second dump is not copied meanwhile.
            await().atMost(Duration.ofSeconds(10)).until(DumpStreamTest::dumpFiles, f -> f.size() == 1);
            // and stays alone for a while (a 16 MiB copy takes a fraction of that here)
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(DumpStreamTest::dumpFiles, f -> f.size() == 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(DumpStreamTest::dumpFiles, List::isEmpty);
        try (WireClient c = open("huge", 0)) {
            assertThat(c.call(new Request.Leader())).isInstanceOf(Response.Server.class); // the node goes on
        }
    }

    @Test
    void aNodeDeletesTheDumpFilesAStoppedProcessLeftBehind() throws Exception {
        Path root = dir.resolve("restarted");
        Path left = Files.createDirectories(root.resolve("node1")).resolve("dump123456.tmp");
        Files.write(left, new byte[4096]);
        try (InProcessCluster restarted = new InProcessCluster(root, 1, BASE_PORT + 10, config -> { })) {
            assertThat(left).doesNotExist();
            assertThat(restarted.dataDir(0)).isEqualTo(left.getParent());
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
