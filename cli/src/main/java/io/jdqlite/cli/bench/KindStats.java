package io.jdqlite.cli.bench;

import org.HdrHistogram.Histogram;

/** One worker's (or the merged) figures for one kind of operation; latencies in microseconds. */
final class KindStats {
    final Histogram latencyMicros = new Histogram(3_600_000_000L, 3);
    long ok;
    long errors;
    final ErrorCauses errorCauses = new ErrorCauses();

    void merge(KindStats other) {
        latencyMicros.add(other.latencyMicros);
        ok += other.ok;
        errors += other.errors;
        errorCauses.addAll(other.errorCauses);
    }

    double percentileMillis(double p) {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(p) / 1000.0;
    }
}
