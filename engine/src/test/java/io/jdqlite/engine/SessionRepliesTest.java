package io.jdqlite.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A session opened with a reply executor gets every answer through it (the node passes its event loop). */
class SessionRepliesTest {
    @TempDir
    Path tmp;

    /** Holds every completion until the test lets it run. */
    private static final class Gate implements Executor {
        final LinkedBlockingQueue<Runnable> held = new LinkedBlockingQueue<>();

        @Override
        public void execute(Runnable completion) {
            held.add(completion);
        }

        void release() {
            for (Runnable r; (r = held.poll()) != null; ) {
                r.run();
            }
        }
    }

    @Test
    void writesReadsAndFailuresAreAnsweredThroughTheSessionsExecutor() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20080).startAll()) {
            c.exec("app", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            Gate gate = new Gate();
            try (Session s = c.leader().openSession("app", gate)) {
                ExecResult written = throughGate(gate, s.execSql("INSERT INTO t (v) VALUES ('a')", List.of()));
                assertThat(written.rowsAffected()).isEqualTo(1);

                QueryResult read = throughGate(gate, s.querySql("SELECT v FROM t", List.of()));
                assertThat(read.rows()).hasSize(1);
                assertThat(read.rows().get(0)).containsExactly("a");

                CompletableFuture<ExecResult> bad = s.execSql("INSERT INTO missing VALUES (1)", List.of());
                await().atMost(10, TimeUnit.SECONDS).until(() -> !gate.held.isEmpty());
                assertThat(bad).as("the failure waits for the session's executor").isNotDone();
                gate.release();
                assertThat(bad).isCompletedExceptionally();
                assertThatThrownBy(() -> bad.get(1, TimeUnit.SECONDS)).cause()
                        .isInstanceOf(EngineException.class).hasMessageContaining("no such table");
            }
            assertThatThrownBy(() -> c.leader().openSession("app", null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("replies");
        }
    }

    private static <T> T throughGate(Gate gate, CompletableFuture<T> answer) throws Exception {
        await().atMost(10, TimeUnit.SECONDS).until(() -> !gate.held.isEmpty());
        assertThat(answer).as("the answer waits for the session's executor").isNotDone();
        gate.release();
        assertThat(answer).isDone();
        return answer.get(1, TimeUnit.SECONDS);
    }
}
