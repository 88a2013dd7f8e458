package io.jdqlite.cli.shell;

import io.jdqlite.client.ClientConfig;
import io.jdqlite.client.DqliteClient;
import io.jdqlite.client.DqliteConnection;
import io.jdqlite.client.Rows;
import io.jdqlite.node.gateway.InProcessCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Ctrl-C in an interactive shell session, against a 3-node cluster in this JVM (ports 27020-27079). */
class ShellInterruptTest {
    /** Minutes of work before its single row: only an interrupt reaching the node's engine ends it sooner. */
    static final String ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000000) "
            + "SELECT count(*) FROM c;";
    @TempDir
    static Path tmp;
    static InProcessCluster cluster;
    static DqliteClient client;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        cluster = new InProcessCluster(tmp.resolve("cluster"), 3, 27020);
        // long enough that the node, not this timeout, is what stops the interrupted statements below
        client = DqliteClient.create(ClientConfig.builder().addresses(cluster.addresses())
                .interruptTimeout(Duration.ofSeconds(20)).build());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private CompletableFuture<Integer> session(KeyboardTerminal keys, String database) {
        Shell shell = new Shell(client, database, OutputFormat.CSV, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
            try (shell) {
                return new InteractiveSession(shell, database).run(keys.terminal(), tmp.resolve(database + ".history"), "banner");
            }
        });
    }

    @Test
    void ctrlCStopsTheRunningStatementAndTheSessionGoesOn() throws Exception {
        try (KeyboardTerminal keys = new KeyboardTerminal()) {
            CompletableFuture<Integer> session = session(keys, "stop");
            keys.typeAfterPrompt("stop> ", "CREATE TABLE t (x);\r");
            keys.typeAfterPrompt("stop> ", "INSERT INTO t VALUES (1), (2);\r");
            // one input of two statements: Ctrl-C stops the first, and the second does not run
            keys.typeAfterPrompt("stop> ", ENDLESS + " SELECT 'not run';\r");
            Thread.sleep(300); // let the query reach the node (a Ctrl-C before that stops it all the same)
            long start = System.nanoTime();
            keys.type("\003");
            keys.typeAfterPrompt("stop> ", "SELECT sum(x) FROM t;\r");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            keys.typeAfterPrompt("stop> ", "\004");
            assertThat(session.get(30, TimeUnit.SECONDS)).isZero();
        }
        // Not "(... the connection was closed)": the node confirmed, which it does once its engine stopped.
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("Error: interrupted\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("sum(x)\n3\n");
        try (DqliteConnection other = client.open("stop"); Rows r = other.query("SELECT count(*) FROM t")) {
            assertThat(r.next()).isTrue();
            assertThat(r.get(0)).isEqualTo(2L);
        }
    }

    @Test
    void ctrlCAtThePromptDropsWhatIsTypedAndTwiceAtAnEmptyPromptLeaves() throws Exception {
        try (KeyboardTerminal keys = new KeyboardTerminal()) {
            CompletableFuture<Integer> session = session(keys, "prompt");
            keys.typeAfterPrompt("prompt> ", "SELECT 1\r");
            keys.typeAfterPrompt("...> ", "+ 1");
            // Once "+ 1" is on the line (JLine's line discipline raises the Ctrl-C signal as soon as it reads the
            // key, possibly before the reader took the keys typed with it): the statement being typed is dropped,
            // lines before included.
            keys.typeAfterPrompt("...> + 1", "\003");
            keys.typeAfterPrompt("prompt> ", "SELECT 2;\r");
            keys.typeAfterPrompt("prompt> ", "\003"); // at an empty prompt: how to leave
            await().atMost(Duration.ofSeconds(10)).until(() -> keys.text().contains(InteractiveSession.LEAVE_HINT));
            keys.typeAfterPrompt("prompt> ", "SELECT 3;\r");
            assertThat(session).isNotDone();
            keys.typeAfterPrompt("prompt> ", "\003");
            keys.typeAfterPrompt("prompt> ", "\003"); // twice in a row leaves
            assertThat(session.get(30, TimeUnit.SECONDS)).isZero();
            assertThat(keys.text().split(java.util.regex.Pattern.quote(InteractiveSession.LEAVE_HINT), -1)).hasSize(3);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("2\n2\n3\n3\n");
    }
}
