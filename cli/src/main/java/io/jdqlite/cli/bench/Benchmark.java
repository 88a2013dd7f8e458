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
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Runs one workload with N workers for a duration against a cluster and collects the figures. */
public final class Benchmark {
    /** Default of how long the first connection looks for a leader before the run fails. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long after the end a worker may finish its request before it is aborted. */
    static final Duration STOP_GRACE = Duration.ofSeconds(1);
    private final List<String> cluster;
    private final String database;
    private final Workload workload;
    private final int workers;
    private final Duration duration;
    private final int keySize;
    private final int valueSize;
    private final Duration warmup;
    private Duration connectTimeout = CONNECT_TIMEOUT;

    public Benchmark(List<String> cluster, String database, Workload workload, int workers, Duration duration,
                     int keySize, int valueSize) {
        this(cluster, database, workload, workers, duration, keySize, valueSize, Duration.ZERO);
    }

    /** {@code warmup}: the same workload runs this long first, unrecorded (JIT, caches, connections). */
    public Benchmark(List<String> cluster, String database, Workload workload, int workers, Duration duration,
                     int keySize, int valueSize, Duration warmup) {
        if (cluster == null || cluster.isEmpty()) {
            throw new IllegalArgumentException("--cluster needs at least one node address host:port");
        }
        for (String a : cluster) {
            int colon = a == null ? -1 : a.lastIndexOf(':');
            boolean ok = colon > 0 && colon < a.length() - 1 && a.substring(colon + 1).chars().allMatch(Character::isDigit)
                    && a.length() - colon - 1 <= 5 && Integer.parseInt(a.substring(colon + 1)) <= 65535
                    && Integer.parseInt(a.substring(colon + 1)) > 0;
            if (!ok) {
                throw new IllegalArgumentException("--cluster: '" + a + "' is not a node address host:port");
            }
        }
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

    /** How long the first connection looks for a leader (the workers' reconnections too) before failing. */
    public Benchmark connectTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--connect-timeout must be positive, got " + timeout);
        }
        this.connectTimeout = timeout;
        return this;
    }

    /** Runs, with a progress line to {@code progress}: redrawn each second on a terminal, else a line every 5 s. */
    public BenchResult run(PrintStream progress) throws DqliteException, InterruptedException {
        return run(progress, System.console() != null);
    }

    /**
     * Runs; {@code terminal}: redraw one progress line each second (else print a plain line every 5 s and
     * one at the end of each phase). Throws when no leader is found within the connect timeout.
     */
    public BenchResult run(PrintStream progress, boolean terminal) throws DqliteException, InterruptedException {
        DqliteClient client = DqliteClient.create(ClientConfig.builder().addresses(cluster)
                .requestTimeout(Duration.ofSeconds(30)).leaderSearchTimeout(connectTimeout).build());
        try (DqliteConnection c = client.open(database)) {
            c.exec(Workload.SCHEMA);
        }
        if (!warmup.isZero()) {
            phase(client, warmup, "warm-up ", progress, terminal);
        }
        List<BenchWorker> ws = phase(client, duration, "", progress, terminal);
        Map<Kind, KindStats> merged = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            KindStats s = new KindStats();
            ws.forEach(w -> s.merge(w.stats.get(k)));
            merged.put(k, s);
        }
        // only operations completed within the window are recorded, so the window is the time base
        return new BenchResult(String.join(",", cluster), workload, workers, duration.toNanos() / 1e9, keySize, valueSize,
                merged);
    }

    /**
     * Runs the workers for {@code length} (each stops at the deadline; one stuck in a request is aborted after
     * {@link #STOP_GRACE}), with progress lines; returns them stopped.
     */
    private List<BenchWorker> phase(DqliteClient client, Duration length, String label, PrintStream progress,
                                    boolean terminal) throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        SplittableRandom seeds = new SplittableRandom(); // fresh keys every run, as go's math/rand
        List<BenchWorker> ws = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            BenchWorker w = new BenchWorker(client, database, workload, keySize, valueSize, seeds.split(), ok, errors);
            ws.add(w);
            Thread t = new Thread(w, "bench-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        long start = System.nanoTime();
        long end = start + length.toNanos();
        ws.forEach(w -> w.deadline = end);
        threads.forEach(Thread::start);
        long interval = terminal ? 1_000_000_000L : 5_000_000_000L;
        long lastOk = 0;
        long lastAt = start;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            long next = Math.min(end, lastAt + interval);
            Thread.sleep(Math.max(1, (next - now) / 1_000_000));
            if (System.nanoTime() < next) {
                continue;
            }
            long n = ok.get();
            long at = System.nanoTime();
            if (at < end || terminal) {
                printProgress(progress, terminal, label, at - start, n, (n - lastOk) / ((at - lastAt) / 1e9), errors.get());
            }
            lastOk = n;
            lastAt = at;
        }
        long graceEnd = end + STOP_GRACE.toNanos();
        for (int i = 0; i < threads.size(); i++) {
            threads.get(i).join(Math.max(1, (graceEnd - System.nanoTime()) / 1_000_000));
        }
        int stuck = 0;
        for (int i = 0; i < threads.size(); i++) {
            if (threads.get(i).isAlive()) {
                stuck++;
                ws.get(i).abort();
                threads.get(i).interrupt();
            }
        }
        for (Thread t : threads) {
            t.join(5_000);
        }
        if (!terminal) {
            printProgress(progress, false, label, length.toNanos(), ok.get(), ok.get() / (length.toNanos() / 1e9), errors.get());
        } else {
            progress.println();
        }
        if (stuck > 0) {
            progress.printf(Locale.ROOT, "%d workers were still waiting for a reply %s after the end; aborted%n", stuck,
                    STOP_GRACE);
        }
        progress.flush();
        return ws;
    }

    private void printProgress(PrintStream progress, boolean terminal, String label, long elapsedNanos, long ok,
                               double rate, long errors) {
        progress.printf(Locale.ROOT, "%s%s%s %d workers: %5.1fs  %8d ok (%8.1f/s)  %6d errors%s", terminal ? "\r" : "",
                label, workload.label(), workers, elapsedNanos / 1e9, ok, rate, errors, terminal ? "" : "\n");
        progress.flush();
    }
}
