package io.jdqlite.operator;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Timing of the reconciler.
 *
 * @param progressInterval how soon to look again while a change is under way
 * @param resyncInterval   how often a stable cluster is re-checked (leader moves and node health are not
 *                         Kubernetes events)
 * @param maxCaughtUpLag   Raft entries a member may trail the leader and still count as caught up
 * @param clock            time source for unhealthy timeouts
 */
public record OperatorSettings(Duration progressInterval, Duration resyncInterval, long maxCaughtUpLag, Clock clock) {
    public OperatorSettings {
        Objects.requireNonNull(progressInterval, "progressInterval");
        Objects.requireNonNull(resyncInterval, "resyncInterval");
        Objects.requireNonNull(clock, "clock");
        if (maxCaughtUpLag < 0) {
            throw new IllegalArgumentException("maxCaughtUpLag must be >= 0");
        }
    }

    public static OperatorSettings defaults() {
        return new OperatorSettings(Duration.ofSeconds(3), Duration.ofSeconds(20), 100, Clock.systemUTC());
    }
}
