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
 * until told to stop. A failed operation counts as an error; a broken connection is reopened.
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
    volatile boolean stop;
    private DqliteConnection connection;
    private Statement write;
    private Statement read;

    BenchWorker(DqliteClient client, String database, Workload workload, int keySize, int valueSize, long seed,
                AtomicLong okCounter, AtomicLong errorCounter) {
        this.client = client;
        this.database = database;
        this.workload = workload;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.okCounter = okCounter;
        this.errorCounter = errorCounter;
        this.random = new SplittableRandom(seed);
        for (Kind k : Kind.values()) {
            stats.put(k, new KindStats());
        }
    }

    @Override
    public void run() {
        while (!stop) {
            boolean doRead = workload == Workload.KVREADWRITE && random.nextInt(2) == 0 && !keys.isEmpty();
            Kind kind = doRead ? Kind.READ : Kind.WRITE;
            long start = System.nanoTime();
            boolean ok;
            try {
                ensureConnected();
                if (doRead) {
                    try (Rows rows = read.query(keys.get(random.nextInt(keys.size())))) {
                        rows.next();
                    }
                } else {
                    String key = randomText(keySize);
                    write.exec(key, value());
                    keys.add(key);
                }
                ok = true;
            } catch (DqliteException e) {
                ok = false;
                if (connection == null || connection.isClosed() || e.isNotLeader() || e.outcomeUnknown()) {
                    disconnect();
                }
            }
            long micros = Math.max(1, (System.nanoTime() - start) / 1000);
            KindStats s = stats.get(kind);
            if (ok) {
                s.ok++;
                s.latencyMicros.recordValue(Math.min(micros, s.latencyMicros.getHighestTrackableValue()));
                okCounter.incrementAndGet();
            } else {
                s.errors++;
                errorCounter.incrementAndGet();
            }
        }
        disconnect();
    }

    private void ensureConnected() throws DqliteException {
        if (connection == null || connection.isClosed()) {
            disconnect();
            connection = client.open(database);
            write = connection.prepare(Workload.WRITE);
            read = connection.prepare(Workload.READ);
        }
    }

    private void disconnect() {
        if (connection != null) {
            connection.close();
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
