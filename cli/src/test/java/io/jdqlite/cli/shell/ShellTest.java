package io.jdqlite.cli.shell;

import io.jdqlite.node.gateway.InProcessCluster;
import io.jdqlite.client.ClientConfig;
import io.jdqlite.client.DqliteClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shell against a 3-node cluster in this JVM (ports 23800-23899). */
class ShellTest {
    @TempDir
    static Path tmp;
    static InProcessCluster cluster;
    static DqliteClient client;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        cluster = new InProcessCluster(tmp.resolve("cluster"), 3, 23800);
        client = DqliteClient.create(ClientConfig.builder().addresses(cluster.addresses()).build());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private Shell shell(String db, OutputFormat f) {
        return new Shell(client, db, f, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsStatementsAndPrintsEveryFormat() {
        try (Shell s = shell("formats", OutputFormat.TABLE)) {
            assertThat(s.run("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB);")).isTrue();
            assertThat(s.run("INSERT INTO t (name, data) VALUES ('a,\"b', x'00ff'), (NULL, NULL)")).isTrue();
            assertThat(s.run("SELECT * FROM t ORDER BY id")).isTrue();
            assertThat(out()).contains("id | name | data").contains("1  | a,\"b | X'00ff'").contains("2  | NULL | NULL").contains("(2 rows)");
            out.reset();
            assertThat(s.run(".mode json")).isTrue();
            assertThat(s.run("SELECT id, name FROM t ORDER BY id")).isTrue();
            assertThat(out()).contains("{\"id\": 1, \"name\": \"a,\\\"b\"}").contains("{\"id\": 2, \"name\": null}");
            out.reset();
            assertThat(s.run(".mode csv")).isTrue();
            assertThat(s.run("SELECT id, name FROM t ORDER BY id")).isTrue();
            assertThat(out()).isEqualTo("id,name\n1,\"a,\"\"b\"\n2,\n");
        }
    }

    @Test
    void onlyStatementsThatChangeRowsReportCounts() {
        try (Shell s = shell("counts", OutputFormat.TABLE)) {
            assertThat(s.run("CREATE TABLE c (x); BEGIN; INSERT INTO c VALUES (1), (2); COMMIT; CREATE INDEX ci ON c (x);"
                    + " /* note */ WITH d(v) AS (VALUES (3)) INSERT INTO c SELECT v FROM d; DELETE FROM c WHERE x < 3;"))
                    .as(err.toString(StandardCharsets.UTF_8)).isTrue();
            // SQLite would give COMMIT and CREATE INDEX the INSERT's figures: they are not theirs
            assertThat(out()).isEqualTo("OK\nOK\nOK (2 rows affected, last insert id 2)\nOK\nOK\n"
                    + "OK\nOK (2 rows affected, last insert id 3)\n"); // the WITH goes as a query: no figures
        }
    }

    @Test
    void errorsAreReportedAndTheShellGoesOn() {
        try (Shell s = shell("errors", OutputFormat.TABLE)) {
            assertThat(s.run("SELEKT 1")).isFalse();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("Error: ").contains("syntax error");
            assertThat(s.run(".nonsense")).isFalse();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command .nonsense");
            assertThat(s.run("SELECT 41 + 1")).isTrue();
            assertThat(out()).contains("42");
        }
    }

    @Test
    void dotCommandsDescribeTheClusterAndTheSchema() {
        try (Shell s = shell("meta", OutputFormat.TABLE)) {
            s.run("CREATE TABLE a (x)");
            s.run("CREATE TABLE b (y)");
            s.run("CREATE INDEX bi ON b (y)");
            s.run(".tables");
            assertThat(out()).contains("a\nb\n");
            out.reset();
            s.run(".schema b");
            assertThat(out()).contains("CREATE TABLE b (y);").contains("CREATE INDEX bi ON b (y);");
            out.reset();
            s.run(".cluster");
            assertThat(out()).contains("127.0.0.1:23801").contains("voter").contains("(3 rows)");
            out.reset();
            s.run(".leader");
            assertThat(out().trim()).isIn(cluster.addresses());
        }
    }

    @Test
    void describeAndWeightAskTheNamedNode() {
        String node = cluster.addresses().get(1);
        try (Shell s = shell("weights", OutputFormat.TABLE)) {
            assertThat(s.run(".weight " + node + " 7")).isTrue();
            assertThat(out()).contains("weight of " + node + " set to 7");
            out.reset();
            assertThat(s.run(".mode json")).isTrue();
            assertThat(s.run(".describe " + node)).isTrue();
            assertThat(out()).contains("{\"address\": \"" + node + "\", \"failure_domain\": 1, \"weight\": 7}");
            out.reset();
            assertThat(s.run(".describe " + cluster.addresses().get(0))).isTrue();
            assertThat(out()).contains("\"weight\": 0}");

            assertThat(s.run(".weight " + node + " -1")).isFalse();
            assertThat(s.run(".weight " + node)).isFalse();
            assertThat(s.run(".describe")).isFalse();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad weight '-1'")
                    .contains("usage: .weight <address> <n>").contains("usage: .describe <address>");
        }
    }

    @Test
    void removeTakesAMemberOutByItsAddress() throws Exception {
        try (InProcessCluster own = new InProcessCluster(tmp.resolve("removal"), 3, 23820);
             DqliteClient ownClient = DqliteClient.create(ClientConfig.builder().addresses(own.addresses()).build());
             Shell s = new Shell(ownClient, "removal", OutputFormat.CSV, new PrintStream(out, true, StandardCharsets.UTF_8),
                     new PrintStream(err, true, StandardCharsets.UTF_8))) {
            String leader = ownClient.leader().address();
            String other = own.addresses().stream().filter(a -> !a.equals(leader)).findFirst().orElseThrow();
            assertThat(s.run(".remove 127.0.0.1:1")).isFalse();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("no member has address 127.0.0.1:1");

            assertThat(s.run(".remove " + other)).as(() -> "stderr: " + err.toString(StandardCharsets.UTF_8)).isTrue();
            assertThat(out()).contains("removed ").contains("(" + other + ")");
            assertThat(ownClient.cluster()).extracting(n -> n.address()).hasSize(2).doesNotContain(other);
            assertThat(s.run("CREATE TABLE still_writable (x)")).isTrue();
        }
    }

    @Test
    void aDumpLoadsInSqlite3WithEveryRow() throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/sqlite3"));
        assertThat(present || !Boolean.getBoolean("jdqlite.requireDqlite")).as("/usr/bin/sqlite3 is required").isTrue();
        assumeTrue(present, "needs /usr/bin/sqlite3 (apt-get install sqlite3)");
        Path dump = tmp.resolve("dump.sql");
        try (Shell s = shell("dumped", OutputFormat.TABLE)) {
            s.run("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB)");
            s.run("INSERT INTO t VALUES (1, 1.5, 'it''s', x'cafe'), (NULL, NULL, NULL, NULL)");
            s.run("CREATE INDEX ti ON t (i)");
            assertThat(s.run(".dump " + dump)).isTrue();
        }
        Path db = tmp.resolve("restored.db");
        Process p = new ProcessBuilder("/usr/bin/sqlite3", db.toString()).redirectInput(dump.toFile())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes())).isEmpty();
        Process q = new ProcessBuilder("/usr/bin/sqlite3", db.toString(),
                "SELECT i, r, s, hex(b) FROM t ORDER BY i IS NULL, i; SELECT name FROM sqlite_master WHERE type='index';")
                .redirectErrorStream(true).start();
        assertThat(q.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(q.getInputStream().readAllBytes())).isEqualTo("1|1.5|it's|CAFE\n|||\nti\n");
    }

    @Test
    void multiLineInputIsCollectedUntilTheSemicolon() {
        StatementBuffer b = new StatementBuffer();
        assertThat(b.add("SELECT 'a;")).isNull();
        assertThat(b.add("b'")).isNull();
        assertThat(b.add("  ;")).isEqualTo("SELECT 'a;\nb'\n  ;");
        assertThat(b.add(".tables")).isEqualTo(".tables");
        assertThat(b.add("SELECT 1")).isNull();
        assertThat(b.drain()).isEqualTo("SELECT 1");
        assertThat(Shell.returnsRows("  with x as (select 1) select * from x")).isTrue();
        assertThat(Shell.returnsRows("INSERT INTO t VALUES (1)")).isFalse();
        assertThat(OutputFormat.parse("tabular")).isEqualTo(OutputFormat.TABLE);
        assertThat(OutputFormat.parse(" JSON")).isEqualTo(OutputFormat.JSON);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputFormat.parse("xml"))
                .hasMessage("unknown format 'xml' (table, json or csv)");
    }

    @Test
    void anInteractiveSessionEditsAndRecallsHistory() throws Exception {
        Path history = tmp.resolve("history");
        try (KeyboardTerminal keys = new KeyboardTerminal()) {
            java.util.concurrent.CompletableFuture<Integer> session = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> new InteractiveSession(shell("hist", OutputFormat.CSV), "hist").run(keys.terminal(), history, "banner"));
            // Keys as a terminal sends them (Enter is CR, Up is ESC O A in the keypad mode JLine sets, Backspace is DEL),
            // each after the prompt it answers is on the screen.
            String main = "hist> ";
            String more = "...> ";
            keys.typeAfterPrompt(main, "CREATE TABLE hist (v TEXT);\r");
            keys.typeAfterPrompt(main, "INSERT INTO hist VALUES ('one');\r");
            keys.typeAfterPrompt(main, "\033OA\177\177\177\177\177\177two');\r"); // recall, edit
            keys.typeAfterPrompt(main, "SELECT v FROM hist\r");
            keys.typeAfterPrompt(more, "ORDER BY v;\r");
            keys.typeAfterPrompt(main, "\004"); // Ctrl-D on an empty line leaves
            assertThat(session.get(30, TimeUnit.SECONDS)).isZero();
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(out()).isEqualTo("v\none\ntwo\n");
        assertThat(Files.readString(history)).contains("INSERT INTO hist VALUES ('two');").contains("ORDER BY v;")
                .contains("CREATE TABLE hist (v TEXT);");
    }

    @Test
    void statementsEndWhereSqliteSaysTheyEnd() {
        StatementBuffer b = new StatementBuffer();
        assertThat(b.add("SELECT 1; -- it's a comment")).isEqualTo("SELECT 1; -- it's a comment");
        assertThat(b.add("/* a ; comment */ SELECT [a;b] FROM t")).isNull();
        assertThat(b.add(";")).isEqualTo("/* a ; comment */ SELECT [a;b] FROM t\n;");
        assertThat(b.add("-- only a comment")).isNull();
        assertThat(b.isEmpty()).isTrue();
        assertThat(b.add(".tables")).isEqualTo(".tables");
        assertThat(b.add("CREATE TRIGGER tr AFTER INSERT ON t BEGIN")).isNull();
        assertThat(b.add("  INSERT INTO log VALUES (new.x);")).isNull();
        assertThat(b.add("  UPDATE c SET n = n + 1;")).isNull();
        assertThat(b.add("END;")).isEqualTo("CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  INSERT INTO log VALUES (new.x);\n"
                + "  UPDATE c SET n = n + 1;\nEND;");
        assertThat(SqlText.split("CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END; SELECT 'a;b'; ; -- c"))
                .containsExactly("CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END", "SELECT 'a;b'");
        assertThat(SqlText.split("SELECT 1; SELECT 2")).containsExactly("SELECT 1", "SELECT 2");
        assertThat(Shell.returnsRows("-- first\n/* then */ (SELECT 1)")).isTrue();
        assertThat(Shell.returnsRows("INSERT INTO t VALUES (1) RETURNING id")).isTrue();
        assertThat(Shell.returnsRows("INSERT INTO t VALUES ('returning')")).isFalse();
    }

    @Test
    void everyStatementOfAnInputRunsAndPrintsItsRows() {
        try (Shell s = shell("several", OutputFormat.CSV)) {
            assertThat(s.run("CREATE TABLE t (id INTEGER PRIMARY KEY, v); INSERT INTO t (v) VALUES ('x');")).isTrue();
            assertThat(s.run("SELECT v FROM t; SELECT 42 AS answer")).isTrue();
            assertThat(out()).isEqualTo("v\nx\nanswer\n42\n");
            out.reset();
            assertThat(s.run("/* why */ SELECT count(*) AS n FROM t")).isTrue();
            assertThat(s.run("INSERT INTO t (v) VALUES ('y') RETURNING id, v")).isTrue();
            assertThat(out()).isEqualTo("n\n1\nid,v\n2,y\n");
            out.reset();
            assertThat(s.run("SELECT 1 AS a; SELEKT 2; SELECT 3 AS c")).isFalse();
            assertThat(out()).isEqualTo("a\n1\n");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("syntax error");
        }
    }

    @Test
    void jsonAndCsvStayParseable() {
        try (Shell s = shell("parseable", OutputFormat.JSON)) {
            assertThat(s.run("SELECT 1e999 AS inf, -1e999 AS ninf, 0.5 AS half, 'a' || char(8232) || char(127) AS odd")).isTrue();
            assertThat(out()).contains("{\"inf\": 1e999, \"ninf\": -1e999, \"half\": 0.5, \"odd\": \"a\\u2028\\u007f\"}");
            out.reset();
            assertThat(s.run(".mode csv")).isTrue();
            assertThat(s.run("SELECT 'a' || char(13) || 'b' AS cr, 'plain' AS p")).isTrue();
            assertThat(out()).isEqualTo("cr,p\n\"a\rb\",plain\n");
        }
    }

    @Test
    void aValueWithLineBreaksKeepsTheTableAligned() {
        String table = OutputFormat.TABLE.render(List.of("id", "text", "n"),
                List.of(List.<Object>of(1, "first\nsecond line\r\nthird", 7), List.<Object>of(2, "a\tb", 8)));
        assertThat(table).isEqualTo("""
                id | text        | n
                ---+-------------+--
                1  | first       | 7
                   | second line |\s\s
                   | third       |\s\s
                2  | a b         | 8
                (2 rows)
                """);
    }

    @Test
    void dotCommandsRejectWrongArguments() {
        try (Shell s = shell("args", OutputFormat.TABLE)) {
            assertThat(s.run(".tables extra")).isFalse();
            assertThat(s.run(".mode json csv")).isFalse();
            assertThat(s.run(".leader now")).isFalse();
            assertThat(s.run(".dump " + tmp.resolve("no/such/dir/x.sql"))).isFalse();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: .tables").contains("usage: .mode")
                    .contains("usage: .leader").contains("cannot write " + tmp.resolve("no/such/dir/x.sql"));
            assertThat(s.run(".mode")).isTrue();
            assertThat(out()).isEqualTo("table\n");
        }
    }

    @Test
    void aDumpIsOneSnapshotWhateverTheClusterWritesMeanwhile() throws Exception {
        try (Shell s = shell("snap", OutputFormat.TABLE)) {
            assertThat(s.run("CREATE TABLE a (x); CREATE TABLE b (x); INSERT INTO a VALUES (1); INSERT INTO b VALUES (1)")).isTrue();
            // A transfer commits into both tables while the dump is between them: the dump must show it in
            // both or in neither.
            StringWriter dump = new StringWriter() {
                boolean written;

                @Override
                public void write(String str) {
                    super.write(str);
                    if (!written && str.startsWith("INSERT INTO \"a\"")) {
                        written = true;
                        try (var c = client.open("snap")) {
                            c.exec("BEGIN");
                            c.exec("INSERT INTO a VALUES (2)");
                            c.exec("INSERT INTO b VALUES (2)");
                            c.exec("COMMIT");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            };
            s.dump(dump, null, false);
            assertThat(dump.toString()).contains("INSERT INTO \"a\"(\"x\") VALUES(1);")
                    .doesNotContain("INSERT INTO \"b\"(\"x\") VALUES(2);");
            out.reset();
            assertThat(s.run("SELECT count(*) FROM b")).isTrue();
            assertThat(out()).contains("2"); // the transfer did commit
        }
    }

    @Test
    void ctrlCStopsADumpAndLeavesNoFile() throws Exception {
        Path file = tmp.resolve("stopped.sql");
        Shell[] shell = new Shell[1];
        java.io.OutputStream progress = new java.io.OutputStream() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(int b) {
                err.write(b);
                line.append((char) b);
                if (line.indexOf("rows so far") >= 0) {
                    shell[0].interrupt(); // Ctrl-C once the dump reports progress
                }
            }
        };
        try (Shell s = new Shell(client, "stopped", OutputFormat.TABLE, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8))) {
            shell[0] = s;
            assertThat(s.run("CREATE TABLE t (x); WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 250000) "
                    + "INSERT INTO t SELECT n FROM c")).isTrue();
            assertThat(s.run(".dump " + file)).isFalse();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("100000 rows so far").doesNotContain("200000 rows so far")
                    .contains("Error: interrupted");
            assertThat(file).doesNotExist();
            assertThat(tmp.resolve("stopped.sql.part")).doesNotExist();
            assertThat(s.run("SELECT count(*) FROM t")).isTrue(); // the session goes on
        }
    }

    @Test
    void aBackupIsOneSqliteFileOfTheDatabase() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("backups"));
        Path file = dir.resolve("backup.db");
        try (Shell s = shell("backedup", OutputFormat.TABLE)) {
            assertThat(s.run("CREATE TABLE t (i INTEGER PRIMARY KEY, s TEXT); INSERT INTO t (s) VALUES ('one'), ('two')")).isTrue();
            assertThat(s.run(".backup " + file)).as(err.toString(StandardCharsets.UTF_8)).isTrue();
            assertThat(out()).contains("backed up backedup to " + file);
            assertThat(s.run(".backup")).isFalse();
            assertThat(s.run(".backup " + tmp.resolve("no/such/dir/x.db"))).isFalse();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: .backup <file>")
                    .contains("cannot write " + tmp.resolve("no/such/dir/x.db"));
        }
        // One standalone file: its WAL folded in, in rollback journal mode, nothing left beside it.
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("backup.db");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             var st = c.createStatement()) {
            try (var q = st.executeQuery("SELECT group_concat(s, ',') FROM t")) {
                assertThat(q.next()).isTrue();
                assertThat(q.getString(1)).isEqualTo("one,two");
            }
            try (var q = st.executeQuery("PRAGMA journal_mode")) {
                assertThat(q.next()).isTrue();
                assertThat(q.getString(1)).isEqualTo("delete");
            }
            try (var q = st.executeQuery("PRAGMA integrity_check")) {
                assertThat(q.next()).isTrue();
                assertThat(q.getString(1)).isEqualTo("ok");
            }
        }
    }

    @Test
    void aBackupReplacesAnOlderFileOfTheSameNameAndItsJournals() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("replaced"));
        Path file = dir.resolve("again.db");
        Files.writeString(file, "not a database");
        // An older database's journals would be taken for the new file's.
        Files.writeString(dir.resolve("again.db-wal"), "a stale WAL");
        Files.writeString(dir.resolve("again.db-journal"), "a stale rollback journal");
        try (Shell s = shell("again", OutputFormat.TABLE)) {
            assertThat(s.run("CREATE TABLE t (i INTEGER PRIMARY KEY); INSERT INTO t VALUES (7)")).isTrue();
            assertThat(s.run(".backup " + file)).as(err.toString(StandardCharsets.UTF_8)).isTrue();
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             var q = c.createStatement().executeQuery("SELECT i FROM t")) {
            assertThat(q.next()).isTrue();
            assertThat(q.getInt(1)).isEqualTo(7);
        }
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("again.db");
    }

    /** Objects whose dump used to lose data or fail to load. */
    private static final String TRICKY = """
            CREATE TABLE "we""ird" (id INTEGER PRIMARY KEY AUTOINCREMENT, flag BOOLEAN, at DATETIME, r REAL, b BLOB,
              doubled AS (id * 2));
            INSERT INTO "we""ird" (flag, at, r, b) VALUES (NULL, 1700000000, 0.1 + 0.2, x'00ff'), (5, '2024-01-02 03:04:05', -1e999, NULL);
            INSERT INTO "we""ird" (id, flag, at, r, b) VALUES (7, 0, NULL, 2.0, x'');
            DELETE FROM "we""ird" WHERE id = 7;
            CREATE TABLE sqlitedata (x TEXT);
            INSERT INTO sqlitedata VALUES ('it''s; -- not a comment'), ('line
            two');
            CREATE TABLE log (msg);
            CREATE TRIGGER logged AFTER INSERT ON sqlitedata BEGIN
              INSERT INTO log VALUES ('added ' || new.x);
            END;
            CREATE VIEW v2 AS SELECT * FROM sqlitedata;
            CREATE VIEW v1 AS SELECT * FROM v2;
            CREATE INDEX "we""ird_flag" ON "we""ird" (flag);
            """;

    @Test
    void aDumpRestoresEveryValueAndObject() throws Exception {
        Path dump = tmp.resolve("tricky.sql");
        try (Shell s = shell("tricky", OutputFormat.TABLE)) {
            assertThat(s.run(TRICKY)).as(err.toString(StandardCharsets.UTF_8)).isTrue();
            assertThat(s.run(".dump " + dump)).as(err.toString(StandardCharsets.UTF_8)).isTrue();
        }
        String text = Files.readString(dump);
        assertThat(text).contains("CREATE TABLE sqlitedata").contains("VALUES(1,NULL,1700000000,") // not 0 (false)
                .contains("VALUES(2,5,") .contains("3.000000000000000445e-01").contains("INSERT INTO sqlite_sequence(name,seq) VALUES('we\"ird',7)")
                .doesNotContain("\"doubled\"").contains("CREATE TRIGGER logged");

        // Restored through the shell, line by line as stdin gives it, into a fresh database: the same dump.
        out.reset();
        try (Shell s = shell("restored", OutputFormat.TABLE)) {
            StatementBuffer buffer = new StatementBuffer();
            for (String line : text.split("\n", -1)) {
                String input = buffer.add(line);
                if (input != null) {
                    assertThat(s.run(input)).as(input + ": " + err.toString(StandardCharsets.UTF_8)).isTrue();
                }
            }
            assertThat(buffer.drain()).isNull();
            Path again = tmp.resolve("again.sql");
            assertThat(s.run(".dump " + again)).isTrue();
            assertThat(Files.readString(again)).isEqualTo(text);
            out.reset();
            assertThat(s.run("INSERT INTO \"we\"\"ird\" (flag) VALUES (1) RETURNING id, doubled")).isTrue();
            assertThat(out()).contains("8  | 16"); // AUTOINCREMENT goes on after the deleted 7
        }

        boolean present = Files.isExecutable(Path.of("/usr/bin/sqlite3"));
        assumeTrue(present, "needs /usr/bin/sqlite3 (apt-get install sqlite3)");
        Path db = tmp.resolve("tricky.db");
        Process p = new ProcessBuilder("/usr/bin/sqlite3", db.toString()).redirectInput(dump.toFile())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes())).isEmpty();
        Process q = new ProcessBuilder("/usr/bin/sqlite3", db.toString(),
                "SELECT id, quote(flag), at, r, hex(b), doubled FROM \"we\"\"ird\" ORDER BY id; SELECT count(*) FROM v1;"
                        + " SELECT seq FROM sqlite_sequence; SELECT count(*) FROM log;")
                .redirectErrorStream(true).start();
        assertThat(q.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(q.getInputStream().readAllBytes()))
                .isEqualTo("1|NULL|1700000000|0.3|00FF|2\n2|5|2024-01-02 03:04:05|-Inf||4\n2\n7\n0\n");
    }
}
