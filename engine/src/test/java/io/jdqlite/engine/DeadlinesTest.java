package io.jdqlite.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class DeadlinesTest {

    @Test
    void aFutureStillWaitingAtItsDeadlineTimesOutAndOnlyThen() {
        try (Deadlines deadlines = new Deadlines(Duration.ofHours(1))) {
            CompletableFuture<String> waiting = deadlines.bound(new CompletableFuture<>());

            assertThat(deadlines.sweep(System.nanoTime(), false)).isZero();
            assertThat(waiting).isNotDone();

            long pastTheDeadline = System.nanoTime() + TimeUnit.HOURS.toNanos(1) + 1;
            assertThat(deadlines.sweep(pastTheDeadline, false)).isEqualTo(1);
            assertThatThrownBy(waiting::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
            assertThat(deadlines.size()).isZero();
        }
    }

    @Test
    void aFutureCompletedInTimeKeepsItsResultAndIsForgotten() throws Exception {
        try (Deadlines deadlines = new Deadlines(Duration.ofHours(1))) {
            CompletableFuture<String> answered = deadlines.bound(new CompletableFuture<>());
            CompletableFuture<String> stillWaiting = deadlines.bound(new CompletableFuture<>());
            answered.complete("ok");

            assertThat(deadlines.sweep(System.nanoTime(), false)).isZero();
            assertThat(deadlines.size()).as("the completed head is dropped, the waiting one kept").isEqualTo(1);

            assertThat(deadlines.sweep(System.nanoTime() + TimeUnit.HOURS.toNanos(2), false)).isEqualTo(1);
            assertThat(answered.get()).isEqualTo("ok");
            assertThat(stillWaiting).isCompletedExceptionally();
        }
    }

    @Test
    void theSweeperTimesOutAShortDeadlineOnItsOwn() {
        try (Deadlines deadlines = new Deadlines(Duration.ofMillis(50))) {
            CompletableFuture<Void> waiting = deadlines.bound(new CompletableFuture<>());
            await().atMost(Duration.ofSeconds(10)).until(waiting::isDone);
            assertThatThrownBy(waiting::join).hasCauseInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void closingTimesOutWhatStillWaits() {
        Deadlines deadlines = new Deadlines(Duration.ofHours(1));
        CompletableFuture<Void> waiting = deadlines.bound(new CompletableFuture<>());
        deadlines.close();
        assertThatThrownBy(waiting::join).hasCauseInstanceOf(TimeoutException.class);
    }
}
