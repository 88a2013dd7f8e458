package io.jdqlite.cli.shell;

import io.jdqlite.client.ClientConfig;
import io.jdqlite.client.DqliteClient;
import io.jdqlite.wire.MessageHeader;
import io.jdqlite.wire.Protocol;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ctrl-C while the node copies the database for {@code .backup} (before its answer starts) ends the wait, which
 * the client otherwise lets last minutes.
 */
class ShellDumpInterruptTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicBoolean dumpAsked = new AtomicBoolean();

    @TempDir
    Path dir;

    @Test
    void ctrlCWhileTheNodeHasNotStartedToAnswerEndsTheBackup() throws Exception {
        try (ServerSocket node = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + node.getLocalPort();
            Thread acceptor = new Thread(() -> leadButNeverAnswerDump(node, address));
            acceptor.setDaemon(true);
            acceptor.start();
            DqliteClient client = DqliteClient.create(ClientConfig.builder().addresses(List.of(address))
                    .requestTimeout(Duration.ofSeconds(5)).build());
            Path backup = dir.resolve("backup.db");
            try (Shell shell = new Shell(client, "db", OutputFormat.CSV, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8))) {
                CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(() -> shell.run(".backup " + backup));
                await().atMost(Duration.ofSeconds(20)).untilTrue(dumpAsked);
                shell.interrupt();
                // the client waits up to 10 minutes for a dump to start otherwise
                assertThat(run.get(30, TimeUnit.SECONDS)).isFalse();
                assertThat(err.toString(StandardCharsets.UTF_8)).contains("Error: interrupted");
                assertThat(backup).doesNotExist();
                assertThat(backup.resolveSibling("backup.db.part")).doesNotExist();
                assertThat(shell.run(".help")).as("the next input runs").isTrue();
            }
        }
    }

    /** A node that leads, and reads every request but answers none after LEADER: a long copy before a dump. */
    private void leadButNeverAnswerDump(ServerSocket node, String address) {
        while (!node.isClosed()) {
            try {
                Socket s = node.accept();
                Thread t = new Thread(() -> {
                    try (s) {
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        in.readFully(new byte[8]); // the protocol version
                        while (true) {
                            byte[] head = new byte[Protocol.HEADER_SIZE];
                            in.readFully(head);
                            MessageHeader header = MessageHeader.read(ByteBuffer.wrap(head), Protocol.DEFAULT_MAX_MESSAGE_SIZE);
                            byte[] body = new byte[header.bodyLength()];
                            in.readFully(body);
                            Request r = Request.read(header, ByteBuffer.wrap(body));
                            if (r instanceof Request.Leader) {
                                s.getOutputStream().write(new Response.Server(1, address).toBytes());
                            } else if (r instanceof Request.Dump) {
                                dumpAsked.set(true);
                            }
                        }
                    } catch (IOException e) {
                        // the client went away
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }
}
