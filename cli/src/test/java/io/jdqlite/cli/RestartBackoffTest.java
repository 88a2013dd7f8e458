package io.jdqlite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {
    @Test
    void doublesFromOneSecondUpToThirty() {
        RestartBackoff backoff = new RestartBackoff();

        long[] seconds = new long[8];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = backoff.next(Duration.ofSeconds(2)).toSeconds();
        }

        assertThat(seconds).containsExactly(1, 2, 4, 8, 16, 30, 30, 30);
    }

    @Test
    void aProcessThatRanForAMinuteStartsOverAtOneSecond() {
        RestartBackoff backoff = new RestartBackoff();
        for (int i = 0; i < 5; i++) {
            backoff.next(Duration.ZERO);
        }

        assertThat(backoff.next(Duration.ofSeconds(59))).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.next(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.next(Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void manyFailuresDoNotOverflow() {
        RestartBackoff backoff = new RestartBackoff();
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.next(Duration.ZERO)).isPositive().isLessThanOrEqualTo(RestartBackoff.MAX);
        }
    }
}
