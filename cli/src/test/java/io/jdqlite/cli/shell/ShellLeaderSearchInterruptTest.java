package io.jdqlite.cli.shell;

import io.jdqlite.client.ClientConfig;
import io.jdqlite.client.DqliteClient;
import io.jdqlite.client.UnansweredAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Ctrl-C while the shell looks for a leader that is not there ends the search, not the leader-search timeout. */
class ShellLeaderSearchInterruptTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A loopback address where nothing listens: every attempt is refused at once, and the client retries. */
    private static String deadAddress() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {".leader", ".cluster", "SELECT 1;"})
    void ctrlCEndsTheSearchAndTheNextInputRunsAsUsual(String input) throws Exception {
        DqliteClient client = DqliteClient.create(ClientConfig.builder().addresses(java.util.List.of(deadAddress()))
                .leaderSearchTimeout(Duration.ofMinutes(10)).build());
        try (Shell shell = new Shell(client, "db", OutputFormat.CSV, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))) {
            Thread[] runner = new Thread[1];
            CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(() -> {
                runner[0] = Thread.currentThread();
                return shell.run(input);
            });
            // searching: the client waits between attempts
            await().atMost(Duration.ofSeconds(10)).until(() -> runner[0] != null
                    && runner[0].getState() == Thread.State.TIMED_WAITING);
            shell.interrupt();
            // a 10-minute leader search otherwise
            assertThat(run.get(30, TimeUnit.SECONDS)).isFalse();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("Error: interrupted");
            assertThat(shell.run(".help")).as("the next input runs").isTrue();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains(".cluster");
        }
    }

    /** An address that gets no answer at all, with Ctrl-C mid-connect. */
    @org.junit.jupiter.api.Test
    void ctrlCEndsAConnectThatGetsNoAnswer() throws Exception {
        try (UnansweredAddress unanswered = new UnansweredAddress()) {
            DqliteClient client = DqliteClient.create(ClientConfig.builder()
                    .addresses(java.util.List.of(unanswered.address()))
                    .connectTimeout(Duration.ofMinutes(5)).leaderSearchTimeout(Duration.ofMinutes(10)).build());
            try (Shell shell = new Shell(client, "db", OutputFormat.CSV, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8))) {
                Thread[] runner = new Thread[1];
                CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(() -> {
                    runner[0] = Thread.currentThread();
                    return shell.run(".leader");
                });
                await().atMost(Duration.ofSeconds(10)).until(() -> runner[0] != null && UnansweredAddress.isConnecting(runner[0]));
                shell.interrupt();
                assertThat(run.get(30, TimeUnit.SECONDS)).isFalse(); // the 5-minute connect timeout otherwise
                assertThat(err.toString(StandardCharsets.UTF_8)).contains("Error: interrupted");
            }
        }
    }
}
