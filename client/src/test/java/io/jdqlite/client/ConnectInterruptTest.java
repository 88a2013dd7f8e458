package io.jdqlite.client;

import io.jdqlite.wire.ErrorCodes;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A connect to an address that drops packets ends when its caller is interrupted, not at its timeout. */
class ConnectInterruptTest {
    @Test
    void interruptingTheCallerEndsAConnectThatGetsNoAnswer() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = fillAcceptQueue(full);
            String address = "127.0.0.1:" + full.getLocalPort();
            DqliteClient client = DqliteClient.create(ClientConfig.builder().addresses(List.of(address))
                    .connectTimeout(Duration.ofMinutes(5)).leaderSearchTimeout(Duration.ofMinutes(10)).build());
            Thread[] caller = new Thread[1];
            CompletableFuture<Throwable> search = CompletableFuture.supplyAsync(() -> {
                caller[0] = Thread.currentThread();
                try {
                    client.leader();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> caller[0] != null && isConnecting(caller[0]));
            caller[0].interrupt();

            Throwable failure = search.get(30, TimeUnit.SECONDS); // five minutes otherwise
            assertThat(failure).isInstanceOf(DqliteException.class);
            assertThat(((DqliteException) failure).getErrorCode()).isEqualTo(ErrorCodes.SQLITE_INTERRUPT);
            assertThat(failure.getMessage()).isEqualTo("interrupted (stopped connecting to " + address + ")");
            for (Socket s : queued) {
                s.close();
            }
        }
    }

    /**
     * Connects until the listener's accept queue (never accepted from) is full: Linux then drops further
     * SYNs, so a connect gets no answer, as from an address that drops packets.
     */
    private static List<Socket> fillAcceptQueue(ServerSocket listener) throws Exception {
        List<Socket> queued = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), 300);
                queued.add(s);
            } catch (SocketTimeoutException e) {
                s.close();
                return queued;
            }
        }
        throw new IllegalStateException("the accept queue never filled up");
    }

    private static boolean isConnecting(Thread t) {
        return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("connect")
                && f.getClassName().startsWith("java.net."));
    }
}
