package io.jdqlite.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leadership transfer (a rolling upgrade's, or a stopping node's handover) under a steady write load: the
 * leader loops are held until what they proposed is applied, so every write is either acknowledged or refused
 * with "not leader" (never run, so retried elsewhere), and none is left with an unknown outcome.
 */
class HandoverTest {
    private static final int WRITERS = 8;

    @TempDir
    Path tmp;

    @Test
    void transfersUnderWritesLeaveNoWriteWithAnUnknownOutcomeAndLoseNone() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20460).startAll()) {
            c.exec("app", "CREATE TABLE t (id INTEGER PRIMARY KEY)");
            AtomicBoolean stop = new AtomicBoolean();
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            List<String> unknown = new java.util.concurrent.CopyOnWriteArrayList<>();
            AtomicInteger refused = new AtomicInteger();
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                long base = (w + 1) * 1_000_000L;
                writers.add(CompletableFuture.runAsync(() -> write(c, base, stop, acknowledged, unknown, refused)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 200);
            for (int i = 0; i < 3; i++) {
                int leader = c.awaitLeader();
                int next = (leader + 1) % 3;
                c.engines[leader].transfer(next + 1).get(20, TimeUnit.SECONDS);
                int before = acknowledged.size();
                await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= before + 200);
            }
            stop.set(true);
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            assertThat(unknown).as("writes whose outcome was unknown").isEmpty();
            assertThat(refused.get()).as("writes refused while leadership moved, then retried").isPositive();
            Set<Long> stored = new HashSet<>();
            for (Object[] row : c.query("app", "SELECT id FROM t").rows()) {
                stored.add((Long) row[0]);
            }
            assertThat(stored).as("every acknowledged write, each once").containsAll(acknowledged);
            assertThat(stored).hasSameSizeAs(acknowledged);
        }
    }

    @Test
    void aTransactionOpenWhenATransferBeginsMayStillCommitBeforeLeadershipMoves() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20470).startAll()) {
            c.exec("app", "CREATE TABLE t (id INTEGER PRIMARY KEY)");
            int leader = c.awaitLeader();
            try (Session s = c.engines[leader].openSession("app")) {
                s.execSql("BEGIN", List.of()).get(10, TimeUnit.SECONDS);
                s.execSql("INSERT INTO t VALUES (1)", List.of()).get(10, TimeUnit.SECONDS);
                Session other = c.engines[leader].openSession("app");
                CompletableFuture<ExecResult> waiting = other.execSql("INSERT INTO t VALUES (2)", List.of());

                CompletableFuture<Void> transfer = c.engines[leader].transfer((leader + 1) % 3 + 1);
                // The transfer holds the loop (on its own thread): from then on only the open transaction goes on.
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                        .until(() -> c.engines[leader].node().isHandingOver());
                assertThat(transfer).isNotDone();
                s.execSql("INSERT INTO t VALUES (3)", List.of()).get(10, TimeUnit.SECONDS);
                s.execSql("COMMIT", List.of()).get(10, TimeUnit.SECONDS);

                transfer.get(20, TimeUnit.SECONDS);
                assertThat(c.awaitLeader()).isNotEqualTo(leader);
                assertThatNotLeader(waiting); // it waited for the transaction, then for the handover: never ran
                other.close();
            }
            assertThat(c.query("app", "SELECT group_concat(id) FROM t").rows().get(0)[0]).isEqualTo("1,3");
        }
    }

    private static void assertThatNotLeader(CompletableFuture<ExecResult> f) throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
            throw new AssertionError("a write queued behind the handover ran");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(EngineException.class,
                    ee -> assertThat(ee.code()).isEqualTo(ErrorCodes.SQLITE_IOERR_NOT_LEADER));
        }
    }

    /** Inserts ids from {@code base} on whoever leads; a write refused with "not leader" is retried there. */
    private static void write(TestCluster c, long base, AtomicBoolean stop, Set<Long> acknowledged, List<String> unknown,
                              AtomicInteger refused) {
        long id = base;
        Session session = null;
        while (!stop.get()) {
            try {
                if (session == null) {
                    session = c.leader().openSession("app");
                }
                session.execSql("INSERT INTO t (id) VALUES (?)", List.of(id)).get(30, TimeUnit.SECONDS);
                acknowledged.add(id);
                id++;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof EngineException ee && ee.code() == ErrorCodes.SQLITE_IOERR_NOT_LEADER) {
                    refused.incrementAndGet(); // never ran: the same id again, on the new leader
                } else {
                    unknown.add(id + ": " + e.getCause());
                    id++;
                }
                session.close();
                session = null;
            } catch (EngineException e) { // opening a session on a member that just stopped leading
                session = null;
            } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
                unknown.add(id + ": " + e);
                return;
            }
        }
        if (session != null) {
            session.close();
        }
    }
}
