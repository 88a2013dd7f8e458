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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

            assertThat(s.run(".remove " + other)).isTrue();
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
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        java.io.PipedOutputStream keyboard = new java.io.PipedOutputStream();
        java.io.PipedInputStream keys = new java.io.PipedInputStream(keyboard, 1 << 16);
        try (org.jline.terminal.Terminal terminal = org.jline.terminal.TerminalBuilder.builder().system(false)
                .streams(keys, screen).type("xterm").size(new org.jline.terminal.Size(120, 40)).build()) {
            java.util.concurrent.CompletableFuture<Integer> session = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> new InteractiveSession(shell("hist", OutputFormat.CSV), "hist").run(terminal, history, "banner"));
            // Keys as a terminal sends them (Enter is CR, Up is ESC O A in the keypad mode JLine sets, Backspace is DEL),
            // each after the prompt it answers is on the screen.
            String main = "hist> ";
            String more = "...> ";
            typeAfterPrompt(screen, main, keyboard, "CREATE TABLE hist (v TEXT);\r");
            typeAfterPrompt(screen, main, keyboard, "INSERT INTO hist VALUES ('one');\r");
            typeAfterPrompt(screen, main, keyboard, "\033OA\177\177\177\177\177\177two');\r"); // recall, edit
            typeAfterPrompt(screen, main, keyboard, "SELECT v FROM hist\r");
            typeAfterPrompt(screen, more, keyboard, "ORDER BY v;\r");
            typeAfterPrompt(screen, main, keyboard, "\004"); // Ctrl-D on an empty line leaves
            assertThat(session.get(30, TimeUnit.SECONDS)).isZero();
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(out()).isEqualTo("v\none\ntwo\n");
        assertThat(Files.readString(history)).contains("INSERT INTO hist VALUES ('two');").contains("ORDER BY v;")
                .contains("CREATE TABLE hist (v TEXT);");
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

    private static final java.util.regex.Pattern ANSI = java.util.regex.Pattern.compile("\u001B(\\[[?0-9;]*[a-zA-Z]|[=>])");
    private int seen;

    /** Waits until the screen grew and ends with {@code prompt}, then sends {@code keys}. */
    private void typeAfterPrompt(ByteArrayOutputStream screen, String prompt, java.io.OutputStream keyboard, String keys)
            throws java.io.IOException {
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
                String text = ANSI.matcher(screen.toString(StandardCharsets.UTF_8)).replaceAll("");
                return text.length() > seen && text.endsWith(prompt);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no '" + prompt + "' prompt before typing " + keys.replace("\033", "<ESC>")
                    + "; screen:\n" + screen.toString(StandardCharsets.UTF_8).replace("\033", "<ESC>"), e);
        }
        seen = ANSI.matcher(screen.toString(StandardCharsets.UTF_8)).replaceAll("").length();
        keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }
}
