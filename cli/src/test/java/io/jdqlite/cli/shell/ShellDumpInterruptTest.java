package io.jdqlite.cli.shell;

import io.jdqlite.client.ClientConfig;
import io.jdqlite.client.DqliteClient;
import io.jdqlite.client.ScriptedNode;
import io.jdqlite.wire.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ctrl-C while the node copies the database for {@code .backup} (before its answer starts) ends the wait, which
 * the client otherwise lets last minutes.
 */
class ShellDumpInterruptTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @Test
    void ctrlCWhileTheNodeHasNotStartedToAnswerEndsTheBackup() throws Exception {
        // A node that leads and never answers DUMP: a long copy before the answer.
        try (ScriptedNode node = new ScriptedNode(0, r -> List.of())) {
            DqliteClient client = DqliteClient.create(ClientConfig.builder().addresses(List.of(node.address()))
                    .requestTimeout(Duration.ofSeconds(5)).build());
            Path backup = dir.resolve("backup.db");
            try (Shell shell = new Shell(client, "db", OutputFormat.CSV, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8))) {
                CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(() -> shell.run(".backup " + backup));
                await().atMost(Duration.ofSeconds(20)).until(() -> node.received.stream().anyMatch(r -> r instanceof Request.Dump));
                shell.interrupt();
                // the client waits up to 10 minutes for a dump to start otherwise
                assertThat(run.get(30, TimeUnit.SECONDS)).isFalse();
                assertThat(err.toString(StandardCharsets.UTF_8)).contains("Error: interrupted");
                // Neither the backup nor the temporary directory it was being fetched into.
                try (var left = Files.list(dir)) {
                    assertThat(left).isEmpty();
                }
                assertThat(shell.run(".help")).as("the next input runs").isTrue();
            }
        }
    }
}
