package io.jdqlite.engine;

import io.jdqlite.engine.StalledFollowerWatch.FollowerView;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StalledFollowerWatchTest {
    private final StalledFollowerWatch watch = new StalledFollowerWatch(15_000, 30_000);

    @Test
    void aFollowerCountedAheadOfWhatItCommittedWhoseCommitDoesNotMoveIsStalledAfterTheStallTime() {
        // As seen in CI: the leader counts node 2 at 1254, node 2 has committed 1170 and answers every heartbeat.
        Map<Long, FollowerView> views = Map.of(2L, new FollowerView(1254, 1170, 300), 1L, new FollowerView(1254, 1254, 100));
        assertThat(watch.observe(0, 1254, views)).isEmpty();
        assertThat(watch.observe(14_999, 1254, views)).isEmpty();
        assertThat(watch.observe(15_000, 1254, views)).containsExactly(2L);
    }

    @Test
    void aFollowerWhoseCommitMovesIsCatchingUpNotStalled() {
        for (long t = 0; t <= 60_000; t += 1_000) {
            long commit = 100 + t / 1_000; // one more committed entry a second, however far behind
            assertThat(watch.observe(t, 5_000, Map.of(2L, new FollowerView(4_000, commit, 50)))).isEmpty();
        }
    }

    @Test
    void aFollowerThatWentDownIsNotStalledAndOneThatIsSilentTooLongIsNotEvenSuspect() {
        // Down since t=0: its last reply left it counted a little ahead of its commit, and it answers no more.
        for (long t = 0; t <= 29_000; t += 1_000) {
            assertThat(watch.observe(t, 1300, Map.of(2L, new FollowerView(1254, 1250, t)))).isEmpty();
        }
        assertThat(watch.observe(40_000, 1300, Map.of(2L, new FollowerView(1254, 1250, 40_000)))).isEmpty();
        // Back and stuck: the clock starts again from its first answer.
        assertThat(watch.observe(41_000, 1300, Map.of(2L, new FollowerView(1254, 1250, 100)))).isEmpty();
        assertThat(watch.observe(56_000, 1300, Map.of(2L, new FollowerView(1254, 1250, 5_000)))).containsExactly(2L);
    }

    @Test
    void aFollowerBehindWhileTheLeaderCommitsIsCatchingUpNotStalled() {
        // As seen in the soak: a follower back from a restart waits for a snapshot, its commit still; writes go on.
        for (long t = 0; t <= 60_000; t += 1_000) {
            assertThat(watch.observe(t, 58_000 + t, Map.of(1L, new FollowerView(56_101, 56_100, 500)))).isEmpty();
        }
        // Only once the leader has committed nothing for the stall time is it stalled (no write would end it).
        assertThat(watch.observe(74_000, 118_000, Map.of(1L, new FollowerView(56_101, 56_100, 500)))).isEmpty();
        assertThat(watch.observe(75_000, 118_000, Map.of(1L, new FollowerView(56_101, 56_100, 500)))).containsExactly(1L);
    }

    @Test
    void repliesSecondsApartStillCountAsAnswering() {
        Map<Long, FollowerView> backedOff = Map.of(2L, new FollowerView(1254, 1170, 6_000));
        watch.observe(0, 1254, backedOff);
        assertThat(watch.observe(15_000, 1254, backedOff)).containsExactly(2L);
    }

    @Test
    void aFollowerThatCommittedWhatItIsCountedAtIsFineAndAResetForgetsSuspects() {
        assertThat(watch.observe(0, 900, Map.of(3L, new FollowerView(900, 900, 10)))).isEmpty();
        assertThat(watch.observe(30_000, 900, Map.of(3L, new FollowerView(900, 900, 10)))).isEmpty();
        Map<Long, FollowerView> stuck = Map.of(3L, new FollowerView(950, 900, 10));
        watch.observe(31_000, 950, stuck);
        watch.reset();
        assertThat(watch.observe(46_000, 950, stuck)).as("the reset restarted the clock").isEmpty();
        assertThat(watch.observe(61_000, 950, stuck)).containsExactly(3L);
    }
}
