package io.jdqlite.engine;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotPolicyTest {
    @Test
    void aSnapshotIsDueOnceTheLogSinceTheLastOneHoldsHalfOfWhatItWouldCopy() {
        SnapshotPolicy policy = new SnapshotPolicy();
        AtomicLong size = new AtomicLong(1_000_000);
        assertThat(policy.due(size::get)).isFalse();
        policy.logged(499_999);
        assertThat(policy.due(size::get)).isFalse();
        policy.logged(1);
        assertThat(policy.due(size::get)).isTrue();

        long captured = policy.position();
        policy.logged(300_000); // applied while the snapshot is written: counts toward the next one
        policy.taken(captured);
        assertThat(policy.due(size::get)).as("300,000 bytes since the capture").isFalse();
        policy.logged(200_000);
        assertThat(policy.due(size::get)).isTrue();
    }

    @Test
    void whatASnapshotWouldCopyIsReadAgainWhenTheLogReachesTheLastFigure() {
        SnapshotPolicy policy = new SnapshotPolicy();
        AtomicLong size = new AtomicLong(1_000);
        assertThat(policy.due(size::get)).isFalse();
        size.set(10_000); // the database grew
        policy.logged(600);
        assertThat(policy.due(size::get)).as("read again: 600 logged is not half of 10,000").isFalse();
        policy.logged(4_400);
        assertThat(policy.due(size::get)).isTrue();
    }

    @Test
    void nothingToCopyIsDueAtOnce() {
        SnapshotPolicy policy = new SnapshotPolicy();
        assertThat(policy.due(() -> 0)).isTrue();
    }
}
