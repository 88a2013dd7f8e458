package io.jdqlite.client;

import io.jdqlite.wire.ErrorCodes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A connect to an address that drops packets ends when its caller is interrupted, not at its timeout. */
class ConnectInterruptTest {
    @Test
    void interruptingTheCallerEndsAConnectThatGetsNoAnswer() throws Exception {
        try (UnansweredAddress unanswered = new UnansweredAddress()) {
            String address = unanswered.address();
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
            await().atMost(Duration.ofSeconds(10)).until(() -> caller[0] != null && UnansweredAddress.isConnecting(caller[0]));
            caller[0].interrupt();

            Throwable failure = search.get(30, TimeUnit.SECONDS); // five minutes otherwise
            assertThat(failure).isInstanceOf(DqliteException.class);
            assertThat(((DqliteException) failure).getErrorCode()).isEqualTo(ErrorCodes.SQLITE_INTERRUPT);
            assertThat(failure.getMessage()).isEqualTo("interrupted (stopped connecting to " + address + ")");
        }
    }
}
