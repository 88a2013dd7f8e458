package io.jdqlite.cli.bench;

import io.jdqlite.client.ClientConfig;
import io.jdqlite.client.DqliteClient;
import io.jdqlite.client.DqliteConnection;
import io.jdqlite.client.DqliteException;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Runs one workload with N workers for a duration against a cluster and collects the figures. */
public final class Benchmark {
    private final List<String> cluster;
    private final String database;
    private final Workload workload;
    private final int workers;
    private final Duration duration;
    private final int keySize;
    private final int valueSize;
    private final Duration warmup;

    public Benchmark(List<String> cluster, String database, Workload workload, int workers, Duration duration,
                     int keySize, int valueSize) {
        this(cluster, database, workload, workers, duration, keySize, valueSize, Duration.ZERO);
    }

    /** {@code warmup}: the same workload runs this long first, unrecorded (JIT, caches, connections). */
    public Benchmark(List<String> cluster, String database, Workload workload, int workers, Duration duration,
                     int keySize, int valueSize, Duration warmup) {
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive, got " + duration);
        }
        if (keySize < 1 || valueSize < 2) {
            throw new IllegalArgumentException("--key-size must be >= 1 and --value-size >= 2");
        }
        this.cluster = List.copyOf(cluster);
        this.database = database;
        this.workload = workload;
        this.workers = workers;
        this.duration = duration;
        this.keySize = keySize;
        this.valueSize = valueSize;
        if (warmup == null || warmup.isNegative()) {
            throw new IllegalArgumentException("--warmup must be zero or positive, got " + warmup);
        }
        this.warmup = warmup;
    }

    /** Runs, printing a progress line a second to {@code progress}. */
    public BenchResult run(PrintStream progress) throws DqliteException, InterruptedException {
        DqliteClient client = DqliteClient.create(ClientConfig.builder().addresses(cluster)
                .requestTimeout(Duration.ofSeconds(30)).leaderSearchTimeout(Duration.ofSeconds(30)).build());
        try (DqliteConnection c = client.open(database)) {
            c.exec(Workload.SCHEMA);
        }
        if (!warmup.isZero()) {
            phase(client, warmup, 0x7a11, "warm-up ", progress);
        }
        long start = System.nanoTime();
        List<BenchWorker> ws = phase(client, duration, 0x5eed, "", progress);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<Kind, KindStats> merged = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            KindStats s = new KindStats();
            ws.forEach(w -> s.merge(w.stats.get(k)));
            merged.put(k, s);
        }
        return new BenchResult(String.join(",", cluster), workload, workers, seconds, keySize, valueSize, merged);
    }

    /** Runs the workers for {@code length}, with a progress line a second; returns them stopped. */
    private List<BenchWorker> phase(DqliteClient client, Duration length, long seed, String label, PrintStream progress)
            throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<BenchWorker> ws = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            BenchWorker w = new BenchWorker(client, database, workload, keySize, valueSize, seed + i, ok, errors);
            ws.add(w);
            Thread t = new Thread(w, "bench-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        long end = start + length.toNanos();
        long lastOk = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            long now = ok.get();
            double elapsed = (System.nanoTime() - start) / 1e9;
            progress.printf(Locale.ROOT, "\r%s%s %d workers: %5.1fs  %8d ok (%8.1f/s now)  %6d errors", label,
                    workload.label(), workers, elapsed, now, (double) (now - lastOk), errors.get());
            progress.flush();
            lastOk = now;
        }
        ws.forEach(w -> w.stop = true);
        for (Thread t : threads) {
            t.join(60_000);
        }
        progress.println();
        return ws;
    }
}
