package io.jdqlite.cli.bench;

import io.jdqlite.client.DqliteClient;
import io.jdqlite.client.DqliteConnection;
import io.jdqlite.client.DqliteException;
import io.jdqlite.client.Rows;
import io.jdqlite.client.Statement;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One benchmark worker: its own connection to the leader and prepared statements, running its workload
 * until its deadline. As go-dqlite's benchmark/worker.go: a failed operation counts as an error of its kind
 * (a read that finds no row too, as {@code sql.ErrNoRows}), a failed write's key is not read later; a broken
 * connection is reopened. Only operations that complete before the deadline are recorded.
 */
final class BenchWorker implements Runnable {
    private static final char[] LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();
    private final DqliteClient client;
    private final String database;
    private final Workload workload;
    private final int keySize;
    private final int valueSize;
    private final AtomicLong okCounter;
    private final AtomicLong errorCounter;
    private final SplittableRandom random;
    private final List<String> keys = new ArrayList<>();
    final Map<Kind, KindStats> stats = new EnumMap<>(Kind.class);
    /** System.nanoTime() after which nothing is recorded and the worker stops. */
    volatile long deadline = Long.MAX_VALUE;
    private volatile boolean stop;
    private volatile DqliteConnection connection;
    private Statement write;
    private Statement read;

    BenchWorker(DqliteClient client, String database, Workload workload, int keySize, int valueSize,
                SplittableRandom random, AtomicLong okCounter, AtomicLong errorCounter) {
        this.client = client;
        this.database = database;
        this.workload = workload;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.okCounter = okCounter;
        this.errorCounter = errorCounter;
        this.random = random;
        for (Kind k : Kind.values()) {
            stats.put(k, new KindStats());
        }
    }

    @Override
    public void run() {
        try {
            while (!stop && System.nanoTime() < deadline) {
                boolean doRead = workload == Workload.KVREADWRITE && random.nextInt(2) == 0 && !keys.isEmpty();
                Kind kind = doRead ? Kind.READ : Kind.WRITE;
                long start = System.nanoTime();
                boolean ok;
                String cause = null;
                try {
                    ensureConnected();
                    if (doRead) {
                        ok = readOne(keys.get(random.nextInt(keys.size())));
                        cause = ok ? null : ErrorCauses.NO_ROW;
                    } else {
                        String key = randomText(keySize);
                        write.exec(key, value());
                        keys.add(key);
                        ok = true;
                    }
                } catch (DqliteException e) {
                    ok = false;
                    cause = ErrorCauses.of(e);
                    if (connection == null || connection.isClosed() || e.isNotLeader() || e.outcomeUnknown()) {
                        disconnect();
                    }
                } catch (RuntimeException e) {
                    // a client bug or a garbled response: an error, and a fresh connection, not a dead worker
                    ok = false;
                    cause = ErrorCauses.of(e);
                    disconnect();
                }
                long end = System.nanoTime();
                if (end > deadline || stop) {
                    break; // completed after the measured window: not recorded
                }
                long micros = Math.max(1, (end - start) / 1000);
                KindStats s = stats.get(kind);
                if (ok) {
                    s.ok++;
                    s.latencyMicros.recordValue(Math.min(micros, s.latencyMicros.getHighestTrackableValue()));
                    okCounter.incrementAndGet();
                } else {
                    s.errors++;
                    s.errorCauses.add(cause);
                    errorCounter.incrementAndGet();
                }
            }
        } finally {
            disconnect();
        }
    }

    /** Reads the key's value; false (an error, as go's {@code sql.ErrNoRows}) when the row is missing. */
    private boolean readOne(String key) throws DqliteException {
        try (Rows rows = read.query(key)) {
            if (!rows.next()) {
                return false;
            }
            rows.get(0);
            return true;
        }
    }

    /** From another thread: stops the worker now, failing its operation in flight (not recorded). */
    void abort() {
        stop = true;
        DqliteConnection c = connection;
        if (c != null) {
            c.close();
        }
    }

    private void ensureConnected() throws DqliteException {
        if (connection == null || connection.isClosed()) {
            disconnect();
            DqliteConnection c = client.open(database);
            connection = c;
            write = c.prepare(Workload.WRITE);
            read = c.prepare(Workload.READ);
        }
    }

    private void disconnect() {
        DqliteConnection c = connection;
        if (c != null) {
            c.close();
        }
        connection = null;
        write = null;
        read = null;
    }

    private String randomText(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = LETTERS[random.nextInt(LETTERS.length)];
        }
        return new String(c);
    }

    /** As dqlite-benchmark: half a repeated letter, half random letters. */
    private String value() {
        return String.valueOf(LETTERS[random.nextInt(LETTERS.length)]).repeat(valueSize / 2) + randomText(valueSize - valueSize / 2);
    }
}
