package io.jdqlite.client;

import io.jdqlite.node.gateway.InProcessCluster;
import io.jdqlite.wire.FilesStream;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link DqliteClient#dump(String, Path, DumpProgress)}: against a 3-node cluster whose result limit is 1 MiB
 * (ports 24801-24803, Raft 24851-24853), and against scripted nodes (24846, 24847) for what no real node sends.
 */
class DumpToFileTest {
    @TempDir
    static Path tmp;
    static InProcessCluster cluster;
    static DqliteClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = new InProcessCluster(tmp.resolve("cluster"), 3, 24800, config -> config.maxResultBytes(1 << 20));
        // Only a follower's address: the client must find the leader itself.
        client = DqliteClient.create(ClientConfig.builder().addresses(List.of(cluster.address(cluster.follower())))
                .requestTimeout(Duration.ofSeconds(15)).build());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static final String FINGERPRINT =
            "SELECT count(*) || ':' || sum(length(b)) || ':' || group_concat(hex(substr(b, 1, 8)), ',') FROM t";

    private static String single(ResultSet r) throws Exception {
        assertThat(r.next()).isTrue();
        return r.getString(1);
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean noDumpFileOnAnyNode() throws Exception {
        for (int i = 0; i < 3; i++) {
            if (names(cluster.dataDir(i)).stream().anyMatch(n -> n.matches("dump.*\\.tmp"))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aDatabaseLargerThanTheNodesResultLimitIsWrittenWholeReportingProgress() throws Exception {
        String expected;
        try (DqliteConnection c = client.open("large")) {
            c.exec("CREATE TABLE t (i INTEGER PRIMARY KEY, b BLOB)");
            c.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 80) "
                    + "INSERT INTO t SELECT i, randomblob(65536) FROM n"); // ~5 MiB
            try (Rows r = c.query(FINGERPRINT)) {
                assertThat(r.next()).isTrue();
                expected = (String) r.get(0);
            }
        }
        Path dir = Files.createDirectories(tmp.resolve("large"));
        Path file = dir.resolve("large.db");
        List<long[]> progress = new ArrayList<>();
        List<DumpedFile> files = client.dump("large", file, (received, total) -> progress.add(new long[] {received, total}));

        assertThat(files).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("large");
            assertThat(f.path()).isEqualTo(file);
            assertThat(f.size()).isEqualTo(Files.size(file)).isGreaterThan(5L << 20);
        });
        assertThat(names(dir)).containsExactly("large.db"); // no WAL (empty), no .part left
        long total = progress.get(0)[1];
        assertThat(progress).hasSizeGreaterThan(10).allSatisfy(p -> assertThat(p[1]).isEqualTo(total));
        assertThat(progress).extracting(p -> p[0]).isSorted();
        assertThat(progress.get(progress.size() - 1)[0]).isEqualTo(total).isGreaterThan(files.get(0).size());
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(single(sqlite.createStatement().executeQuery("PRAGMA integrity_check"))).isEqualTo("ok");
            assertThat(single(sqlite.createStatement().executeQuery(FINGERPRINT))).isEqualTo(expected).startsWith("80:5242880:");
        }
        await().atMost(Duration.ofSeconds(10)).until(DumpToFileTest::noDumpFileOnAnyNode);

        // A progress that throws stops the transfer: its exception, and no file.
        Path stopped = dir.resolve("stopped.db");
        assertThatThrownBy(() -> client.dump("large", stopped, (received, all) -> {
            throw new IllegalStateException("stop");
        })).isInstanceOf(IllegalStateException.class).hasMessage("stop");
        assertThat(names(dir)).containsExactly("large.db");
        await().atMost(Duration.ofSeconds(10)).until(DumpToFileTest::noDumpFileOnAnyNode);
    }

    @Test
    void theFileHoldsTheBytesOfTheInMemoryDumpAndAnOldWalGoes() throws Exception {
        try (DqliteConnection c = client.open("small")) {
            c.exec("CREATE TABLE t (x TEXT)");
            c.exec("INSERT INTO t VALUES ('a'), ('b')");
        }
        List<DatabaseFile> inMemory = client.dump("small", 1 << 20);
        Path dir = Files.createDirectories(tmp.resolve("small"));
        Path file = dir.resolve("small.db");
        Files.write(dir.resolve("small.db-wal"), new byte[4096]); // from an earlier copy: SQLite would replay it
        Files.write(file, new byte[] {1, 2, 3});

        List<DumpedFile> files = client.dump("small", file, DumpProgress.NONE);
        assertThat(files).extracting(DumpedFile::name).containsExactly("small");
        assertThat(Files.readAllBytes(file)).isEqualTo(inMemory.get(0).content());
        assertThat(inMemory.get(1).content()).isEmpty();
        assertThat(names(dir)).containsExactly("small.db");
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(single(sqlite.createStatement().executeQuery("SELECT group_concat(x, ',') FROM t"))).isEqualTo("a,b");
        }
        assertThatThrownBy(() -> client.dump("small", tmp.resolve("no/such/dir/x.db"), DumpProgress.NONE))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    private static DqliteClient clientOf(ScriptedNode node) {
        return DqliteClient.create(ClientConfig.builder().addresses(List.of(node.address()))
                .leaderSearchTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(5)).build());
    }

    private static Response.Files files(String... namesAndContents) {
        List<Response.FileEntry> entries = new ArrayList<>();
        for (String name : namesAndContents) {
            entries.add(new Response.FileEntry(name, ("content of " + name).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return new Response.Files(entries);
    }

    @Test
    void theNodesNamesAreCheckedNeverUsedAsPaths() throws Exception {
        List<Response.Files> answers = new ArrayList<>(List.of(files("../../escaped", "../../escaped-wal"),
                files("db", "/tmp/db-wal"), files("db", "db-wal", "db-shm"), files("db", "db-wal")));
        Path dir = Files.createDirectories(tmp.resolve("scripted"));
        try (ScriptedNode node = new ScriptedNode(24846, r -> r instanceof Request.Dump ? List.of(answers.remove(0)) : List.of())) {
            DqliteClient scripted = clientOf(node);
            assertThatThrownBy(() -> scripted.dump("db", dir.resolve("db"), DumpProgress.NONE))
                    .isInstanceOf(DqliteException.class).hasMessageContaining("malformed dump of db")
                    .hasMessageContaining("'../../escaped', where 'db' was expected");
            assertThatThrownBy(() -> scripted.dump("db", dir.resolve("db"), DumpProgress.NONE))
                    .hasMessageContaining("'/tmp/db-wal', where 'db-wal' was expected");
            assertThatThrownBy(() -> scripted.dump("db", dir.resolve("db"), DumpProgress.NONE))
                    .hasMessageContaining("3 files, where a dump has the database and its WAL");
            assertThat(names(dir)).isEmpty();
            assertThat(tmp.getParent().resolve("escaped")).doesNotExist();

            // what a C node sends: the WAL has content, and is written next to the file, as SQLite names it
            List<DumpedFile> written = scripted.dump("db", dir.resolve("copy.db"), DumpProgress.NONE);
            assertThat(written).extracting(DumpedFile::path).containsExactly(dir.resolve("copy.db"), dir.resolve("copy.db-wal"));
            assertThat(Files.readString(dir.resolve("copy.db-wal"))).isEqualTo("content of db-wal");
            assertThat(names(dir)).containsExactly("copy.db", "copy.db-wal");
        }
    }

    @Test
    void aTransferThatBreaksOffFailsSayingHowFarItGotLeavesTheOldFileAndIsNotRetried() throws Exception {
        int size = 1 << 20;
        List<FilesStream.Entry> entries = List.of(new FilesStream.Entry("db", size), new FilesStream.Entry("db-wal", 0));
        ByteArrayOutputStream half = new ByteArrayOutputStream();
        half.writeBytes(FilesStream.start(entries));
        half.writeBytes(FilesStream.prefix(entries.get(0)));
        half.writeBytes(new byte[size / 2]);
        Path dir = Files.createDirectories(tmp.resolve("broken"));
        Path file = dir.resolve("db");
        Files.writeString(file, "the previous copy");
        try (ScriptedNode node = ScriptedNode.hangingUp(24847, r -> half.toByteArray())) {
            assertThatThrownBy(() -> clientOf(node).dump("db", file, DumpProgress.NONE))
                    .isInstanceOfSatisfying(DqliteException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(DqliteException.CONNECTION_FAILED);
                        assertThat(e.outcomeUnknown()).isFalse();
                    })
                    .hasMessageContaining("the dump of db broke off after " + (half.size() - 8) + " of "
                            + FilesStream.bodyLength(entries) + " bytes")
                    .hasMessageContaining("the node closed the connection");
            assertThat(node.received).hasSize(1);
        }
        assertThat(names(dir)).containsExactly("db");
        assertThat(Files.readString(file)).isEqualTo("the previous copy");
    }

    @Test
    void interruptingTheCallerWhileTheNodeHasNotStartedToAnswerEndsTheWait() throws Exception {
        Path file = Files.createDirectories(tmp.resolve("interrupted")).resolve("db");
        // a node that takes the DUMP and never answers: one still copying a large database
        try (ScriptedNode node = new ScriptedNode(24848, r -> List.of())) {
            DqliteClient silent = clientOf(node);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    silent.dump("db", file, DumpProgress.NONE);
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            caller.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> !node.received.isEmpty());
            caller.interrupt();
            // without the interrupt, the client waits up to DUMP_COPY_TIMEOUT (10 minutes) for the answer to start
            assertThat(outcome.get(60, TimeUnit.SECONDS)).isInstanceOfSatisfying(DqliteException.class, e -> {
                assertThat(e.getErrorCode()).isEqualTo(io.jdqlite.wire.ErrorCodes.SQLITE_INTERRUPT);
                assertThat(e.outcomeUnknown()).isFalse();
                assertThat(e.getMessage()).contains("stopped waiting for " + node.address());
            });
            assertThat(node.received).hasSize(1);
        }
        assertThat(names(file.getParent())).isEmpty();
    }
}
