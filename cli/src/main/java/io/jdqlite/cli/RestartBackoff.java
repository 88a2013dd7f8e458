package io.jdqlite.cli;

import java.time.Duration;

/**
 * How long {@code jdqlite local} waits before starting a node that exited again: 1 s, doubling up to 30 s, as
 * Kubernetes' crash-loop back-off does (in seconds rather than minutes: this is a cluster on a desk). A node
 * that ran for a minute before it exited starts over at 1 s.
 */
final class RestartBackoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(30);
    static final Duration STABLE = Duration.ofMinutes(1);

    private int failures;

    /** The delay before the next start of a process that ran for {@code ran} and then exited. */
    synchronized Duration next(Duration ran) {
        if (ran.compareTo(STABLE) >= 0) {
            failures = 0;
        }
        Duration delay = FIRST.multipliedBy(1L << Math.min(failures, 30));
        failures++;
        return delay.compareTo(MAX) > 0 ? MAX : delay;
    }
}
