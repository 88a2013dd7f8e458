package io.jdqlite.cli.faults;

import io.jdqlite.client.ClientConfig;
import io.jdqlite.client.DqliteClient;
import io.jdqlite.client.DqliteConnection;
import io.jdqlite.client.DqliteException;
import io.jdqlite.client.Rows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writers inserting unique ids and readers recording every id they see, through the jdqlite client,
 * reconnecting to whoever leads after a failure. What it records is what the test checks afterwards:
 * acknowledged writes must survive, and nothing a reader saw may later vanish.
 */
final class Workload implements AutoCloseable {
    final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    final Set<Long> seen = ConcurrentHashMap.newKeySet();
    final AtomicLong failures = new AtomicLong();
    /** Longest time between two acknowledged writes, in ms (write unavailability). */
    final AtomicLong longestGapMillis = new AtomicLong();
    private final AtomicLong lastAck = new AtomicLong(System.nanoTime());
    private final DqliteClient client;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;

    Workload(List<String> addresses, int writers, int readers) {
        client = DqliteClient.create(ClientConfig.builder().addresses(addresses)
                .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(10))
                .leaderSearchTimeout(Duration.ofSeconds(30)).build());
        for (int w = 0; w < writers; w++) {
            long base = (w + 1) * 1_000_000L;
            threads.add(new Thread(() -> write(base), "writer-" + w));
        }
        for (int r = 0; r < readers; r++) {
            threads.add(new Thread(this::read, "reader-" + r));
        }
    }

    static void createSchema(List<String> addresses) throws DqliteException {
        try (DqliteClient c = DqliteClient.create(ClientConfig.builder().addresses(addresses)
                .leaderSearchTimeout(Duration.ofSeconds(60)).build());
             DqliteConnection conn = c.open("app")) {
            conn.exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, payload TEXT)");
        }
    }

    Workload start() {
        lastAck.set(System.nanoTime());
        threads.forEach(Thread::start);
        return this;
    }

    private void write(long base) {
        long seq = 0;
        DqliteConnection conn = null;
        while (!stop) {
            try {
                if (conn == null || conn.isClosed()) {
                    conn = client.open("app");
                }
                long id = base + seq++;
                conn.exec("INSERT INTO t (id, payload) VALUES (?, hex(randomblob(64)))", id);
                acknowledged.add(id);
                long now = System.nanoTime();
                long gap = (now - lastAck.getAndSet(now)) / 1_000_000;
                longestGapMillis.accumulateAndGet(gap, Math::max);
            } catch (DqliteException e) {
                failures.incrementAndGet();
                closeQuietly(conn);
                conn = null;
            }
        }
        closeQuietly(conn);
    }

    private void read() {
        DqliteConnection conn = null;
        while (!stop) {
            try {
                if (conn == null || conn.isClosed()) {
                    conn = client.open("app");
                }
                try (Rows rows = conn.query("SELECT id FROM t ORDER BY rowid DESC LIMIT 20")) {
                    while (rows.next()) {
                        seen.add((Long) rows.get(0));
                    }
                }
            } catch (DqliteException e) {
                closeQuietly(conn);
                conn = null;
            }
        }
        closeQuietly(conn);
    }

    private static void closeQuietly(DqliteConnection c) {
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // the connection is being discarded
            }
        }
    }

    /** Every id in table t, read through the leader. */
    static Set<Long> allIds(List<String> addresses) throws DqliteException {
        Set<Long> out = new java.util.HashSet<>();
        try (DqliteClient c = DqliteClient.create(ClientConfig.builder().addresses(addresses)
                .leaderSearchTimeout(Duration.ofSeconds(60)).build());
             DqliteConnection conn = c.open("app");
             Rows rows = conn.query("SELECT id FROM t")) {
            while (rows.next()) {
                out.add((Long) rows.get(0));
            }
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            t.join(30_000);
        }
        client.close();
    }
}
