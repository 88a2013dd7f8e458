package io.jdqlite.client;

import io.jdqlite.node.gateway.InProcessCluster;
import io.jdqlite.wire.ValueType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against a 3-node jdqlite cluster in this JVM (ports 23000-23099). */
class ClientTest {
    @TempDir
    static Path tmp;
    static InProcessCluster cluster;
    static DqliteClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = new InProcessCluster(tmp, 3, 23000);
        int follower = (cluster.leader() + 1) % 3;
        // Only a follower's address: the client must find the leader itself.
        client = DqliteClient.create(ClientConfig.builder().addresses(List.of(cluster.address(follower)))
                .requestTimeout(Duration.ofSeconds(15)).build());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void findsTheLeaderFromAFollowerAndListsTheCluster() throws Exception {
        NodeInfo leader = client.leader();
        assertThat(leader.address()).isEqualTo(cluster.address(cluster.leader()));
        assertThat(client.cluster()).extracting(NodeInfo::id).containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(client.cluster()).extracting(NodeInfo::role).containsOnly(NodeRole.VOTER);
        try (DqliteConnection c = client.open("discovery")) {
            assertThat(c.serverAddress()).isEqualTo(leader.address());
        }
    }

    @Test
    void aDumpIsTheDatabaseAsFilesSqliteOpensAndWhatIsTooBigIsRefusedAtOnce() throws Exception {
        try (DqliteConnection c = client.open("dumped")) {
            c.exec("CREATE TABLE t (x TEXT)");
            c.exec("INSERT INTO t VALUES ('a'), ('b')");
        }
        List<DatabaseFile> files = client.dump("dumped", 64 << 20);
        assertThat(files).extracting(DatabaseFile::name).containsExactly("dumped", "dumped-wal");
        Path db = tmp.resolve("dumped.db");
        java.nio.file.Files.write(db, files.get(0).content());
        java.nio.file.Files.write(tmp.resolve("dumped.db-wal"), files.get(1).content());
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             var q = c.createStatement().executeQuery("SELECT group_concat(x, ',') FROM t")) {
            assertThat(q.next()).isTrue();
            assertThat(q.getString(1)).isEqualTo("a,b");
        }

        // Too big for the caller: SQLITE_TOOBIG, not a connection failure retried until the search timeout.
        assertThatThrownBy(() -> client.dump("dumped", 1024)).isInstanceOfSatisfying(DqliteException.class,
                e -> assertThat(e.getErrorCode()).isEqualTo(18)).hasMessageContaining("too big");
        assertThat(client.dump("dumped", 64 << 20)).hasSize(2);
        assertThatThrownBy(() -> client.dump("", 1024)).hasMessageContaining("database name is required");
    }

    @Test
    void aRowLargerThanTheWireDefaultOf64MiBIsReadWholeAndTheClientsLimitIsItsOwn() throws Exception {
        try (DqliteConnection c = client.open("hugerow")) {
            c.exec("CREATE TABLE b (v BLOB)");
            c.exec("INSERT INTO b VALUES (zeroblob(70000000)), (randomblob(100000))");
            try (Rows rows = c.query("SELECT v FROM b WHERE length(v) = 70000000")) {
                assertThat(rows.next()).isTrue();
                assertThat((byte[]) rows.get(0)).hasSize(70_000_000); // C dqlite clients read it too
            }
        }
        try (DqliteClient small = DqliteClient.create(ClientConfig.builder().addresses(cluster.addresses())
                .maxMessageSize(64 * 1024).build());
             DqliteConnection c = small.open("hugerow")) {
            assertThatThrownBy(() -> {
                try (Rows rows = c.query("SELECT v FROM b WHERE length(v) = 100000")) {
                    rows.next();
                }
            }).isInstanceOfSatisfying(DqliteException.class, e -> assertThat(e.getErrorCode()).isEqualTo(18))
                    .hasMessageContaining("exceeds the limit of 65536 bytes").hasMessageContaining("maxMessageSize");
        }
        assertThatThrownBy(() -> ClientConfig.builder().addresses(List.of("127.0.0.1:1")).maxMessageSize(100).build())
                .hasMessageContaining("maxMessageSize must be between 1024 and");
        assertThat(ClientConfig.builder().addresses(List.of("127.0.0.1:1")).build().maxMessageSize())
                .isGreaterThan(1_000_000_000); // a value of SQLite's default maximum length fits
    }

    @Test
    void everyValueTypeRoundTrips() throws Exception {
        try (DqliteConnection c = client.open("types")) {
            c.exec("CREATE TABLE v (i INTEGER, r REAL, t TEXT, b BLOB, n, d DATETIME, f BOOLEAN)");
            byte[] big = new byte[3 << 20];
            new java.util.Random(1).nextBytes(big);
            c.exec("INSERT INTO v VALUES (?, ?, ?, ?, ?, ?, ?)", Long.MIN_VALUE, 2.5, "héllo ☃", big, null,
                    "2026-11-24 10:00:00", true);
            try (Rows rows = c.query("SELECT i, r, t, b, n, d, f FROM v")) {
                assertThat(rows.columns()).containsExactly("i", "r", "t", "b", "n", "d", "f");
                assertThat(rows.next()).isTrue();
                assertThat(rows.get(0)).isEqualTo(Long.MIN_VALUE);
                assertThat(rows.get(1)).isEqualTo(2.5);
                assertThat(rows.get(2)).isEqualTo("héllo ☃");
                assertThat((byte[]) rows.get(3)).isEqualTo(big);
                assertThat(rows.get(4)).isNull();
                assertThat(rows.type(4)).isEqualTo(ValueType.NULL);
                assertThat(rows.type(5)).isEqualTo(ValueType.ISO8601);
                assertThat(rows.type(6)).isEqualTo(ValueType.BOOLEAN);
                assertThat(rows.get(6)).isEqualTo(true);
                assertThat(rows.next()).isFalse();
            }
            assertThatThrownBy(() -> c.exec("INSERT INTO v (i) VALUES (?)", new Object()))
                    .isInstanceOf(DqliteException.class).hasMessageContaining("parameter 1");
        }
    }

    @Test
    void largeResultsStreamInPagesAndAnEarlyCloseLeavesTheConnectionUsable() throws Exception {
        try (DqliteConnection c = client.open("big")) {
            c.exec("CREATE TABLE n (x INTEGER, pad TEXT)");
            c.exec("WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 50000) "
                    + "INSERT INTO n SELECT x, hex(randomblob(20)) FROM s");
            long sum = 0;
            int count = 0;
            try (Rows rows = c.query("SELECT x, pad FROM n ORDER BY x")) {
                while (rows.next()) {
                    sum += (Long) rows.get(0);
                    count++;
                }
            }
            assertThat(count).isEqualTo(50000);
            assertThat(sum).isEqualTo(50000L * 50001 / 2);
            try (Rows rows = c.query("SELECT x FROM n")) {
                assertThat(rows.next()).isTrue();
            }
            try (Rows rows = c.query("SELECT count(*) FROM n")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.get(0)).isEqualTo(50000L);
            }
        }
    }

    @Test
    void preparedStatementsAreReusedAndFinalized() throws Exception {
        try (DqliteConnection c = client.open("prep")) {
            c.exec("CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER)");
            try (Statement ins = c.prepare("INSERT INTO kv VALUES (?, ?)")) {
                assertThat(ins.parameterCount()).isEqualTo(2);
                for (int i = 0; i < 100; i++) {
                    ExecResult r = ins.exec("k" + i, (long) i);
                    assertThat(r.rowsAffected()).isEqualTo(1);
                    assertThat(r.lastInsertId()).isEqualTo(i + 1);
                }
                assertThatThrownBy(() -> ins.exec("only one")).isInstanceOf(DqliteException.class)
                        .hasMessageContaining("takes 2 parameters");
            }
            try (Statement sel = c.prepare("SELECT v FROM kv WHERE k = ?")) {
                for (int i = 0; i < 100; i += 10) {
                    try (Rows rows = sel.query("k" + i)) {
                        assertThat(rows.next()).isTrue();
                        assertThat(rows.get(0)).isEqualTo((long) i);
                    }
                }
            }
        }
    }

    @Test
    void sqlErrorsAreClearAndTheConnectionStaysUsable() throws Exception {
        try (DqliteConnection c = client.open("errors")) {
            assertThatThrownBy(() -> c.exec("CREATE TABLE (x"))
                    .isInstanceOf(DqliteException.class).hasMessageContaining("syntax error");
            assertThatThrownBy(() -> c.exec("CREATE TABLE")).hasMessageContaining("incomplete input");
            c.exec("CREATE TABLE u (x INTEGER UNIQUE)");
            c.exec("INSERT INTO u VALUES (1)");
            assertThatThrownBy(() -> c.exec("INSERT INTO u VALUES (1)"))
                    .isInstanceOf(DqliteException.class).hasMessageContaining("UNIQUE")
                    .satisfies(e -> assertThat(((DqliteException) e).outcomeUnknown()).isFalse());
            assertThatThrownBy(() -> c.query("SELECT * FROM missing")).hasMessageContaining("no such table");
            try (Rows rows = c.query("SELECT count(*) FROM u")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.get(0)).isEqualTo(1L);
            }
        }
    }

    @Test
    void afterALeaderChangeTheOldConnectionSaysNotLeaderAndANewOneFindsTheLeader() throws Exception {
        DqliteConnection old = client.open("moves");
        old.exec("CREATE TABLE m (x)");
        int leader = cluster.leader();
        int next = (leader + 1) % 3;
        cluster.engine(leader).transfer(next + 1).get(10, TimeUnit.SECONDS);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> cluster.engine(next).isLeader());
        DqliteException e = org.junit.jupiter.api.Assertions.assertThrows(DqliteException.class,
                () -> old.exec("INSERT INTO m VALUES (1)"));
        assertThat(e.isNotLeader() || e.outcomeUnknown()).as(e.getMessage()).isTrue();
        old.close();
        try (DqliteConnection c = client.open("moves")) {
            assertThat(c.serverAddress()).isEqualTo(cluster.address(next));
            c.exec("INSERT INTO m VALUES (2)");
            List<Object> xs = new ArrayList<>();
            try (Rows rows = c.query("SELECT x FROM m")) {
                while (rows.next()) {
                    xs.add(rows.get(0));
                }
            }
            assertThat(xs).contains(2L);
        }
    }

    @Test
    void badConfigurationIsRefusedClearly() {
        assertThatThrownBy(() -> ClientConfig.builder().addresses(List.of()).build())
                .hasMessageContaining("at least one node address");
        assertThatThrownBy(() -> ClientConfig.builder().addresses(List.of("nohost")).build())
                .hasMessageContaining("host:port");
        DqliteClient nobody = DqliteClient.create(ClientConfig.builder().addresses(List.of("127.0.0.1:23099"))
                .leaderSearchTimeout(Duration.ofMillis(300)).build());
        assertThatThrownBy(() -> nobody.open("x")).isInstanceOf(DqliteException.class)
                .hasMessageContaining("cannot connect");
    }
}
