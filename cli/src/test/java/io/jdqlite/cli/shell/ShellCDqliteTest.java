package io.jdqlite.cli.shell;

import io.jdqlite.client.CDqliteNodes;
import io.jdqlite.client.DqliteClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The shell against the real C dqlite (a dqlite-benchmark node, port 25202). */
class ShellCDqliteTest {
    private static final String ADDRESS = "127.0.0.1:25202";
    @TempDir
    static Path tmp;
    static CDqliteNodes node;
    static DqliteClient client;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        node = CDqliteNodes.startSingle(tmp, ADDRESS);
        client = node.client();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private Shell shell(String db) {
        return new Shell(client, db, OutputFormat.TABLE, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void statementsDotCommandsAndErrors() {
        try (Shell s = shell("cshell")) {
            assertThat(s.run("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); CREATE INDEX t_name ON t (name);")).isTrue();
            assertThat(s.run("INSERT INTO t (name) VALUES ('a'), (NULL)")).isTrue();
            assertThat(out()).contains("2 rows affected, last insert id 2");
            assertThat(s.run("SELECT * FROM t ORDER BY id")).isTrue();
            assertThat(out()).contains("id | name").contains("1  | a").contains("2  | NULL").contains("(2 rows)");
            out.reset();
            assertThat(s.run(".mode json")).isTrue();
            assertThat(s.run("SELECT id, name FROM t ORDER BY id")).isTrue();
            assertThat(out()).contains("{\"id\": 1, \"name\": \"a\"}").contains("{\"id\": 2, \"name\": null}");
            out.reset();
            assertThat(s.run(".mode table")).isTrue();
            assertThat(s.run(".tables")).isTrue();
            assertThat(s.run(".schema t")).isTrue();
            assertThat(out()).contains("t\n").contains("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);")
                    .contains("CREATE INDEX t_name ON t (name);");
            out.reset();
            assertThat(s.run(".cluster")).isTrue();
            assertThat(out()).contains(ADDRESS).contains("voter").contains("(1 row)");
            out.reset();
            assertThat(s.run(".leader")).isTrue();
            assertThat(out().trim()).isEqualTo(ADDRESS);
            assertThat(s.run("SELECT * FROM missing")).isFalse();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("Error: ").contains("no such table: missing");
            assertThat(s.run("SELECT count(*) FROM t")).isTrue();
        }
    }

    @Test
    void aDumpOfTheCNodeRestoresIntoAnotherDatabaseAndABackupOpensInSqlite() throws Exception {
        Path dump = tmp.resolve("c.sql");
        Path backup = tmp.resolve("c.db");
        try (Shell s = shell("cdump")) {
            assertThat(s.run("CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB, n REAL);"
                    + " INSERT INTO kv VALUES ('it''s', x'00ff', 0.5), ('b', NULL, -1e300)")).isTrue();
            assertThat(s.run(".dump " + dump)).as(err.toString(StandardCharsets.UTF_8)).isTrue();
            assertThat(s.run(".backup " + backup)).as(err.toString(StandardCharsets.UTF_8)).isTrue();
        }
        try (Shell s = shell("crestored")) {
            assertThat(s.run(Files.readString(dump))).as(err.toString(StandardCharsets.UTF_8)).isTrue();
            out.reset();
            assertThat(s.run(".mode csv")).isTrue();
            assertThat(s.run("SELECT k, hex(v), n FROM kv ORDER BY k")).isTrue();
            assertThat(out()).isEqualTo("k,hex(v),n\nb,,-1.0E300\nit's,00FF,0.5\n");
        }
        // C dqlite keeps the rows in its WAL; the backup folds them into the one file.
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + backup);
             var q = c.createStatement().executeQuery("SELECT group_concat(k, ',') FROM (SELECT k FROM kv ORDER BY k)")) {
            assertThat(q.next()).isTrue();
            assertThat(q.getString(1)).isEqualTo("b,it's");
        }
    }
}
