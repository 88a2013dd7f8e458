package io.jdqlite.engine;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Raft member that Ratis closes on an error (its apply thread ran out of memory, say) leaves a process that
 * still answers on its ports: the engine reports the failure, so that health checks can have it restarted.
 */
class MemberFailureTest {
    @TempDir
    Path tmp;

    @Test
    void aMemberClosedOnAnErrorIsAFailureUntilTheEngineIsClosed() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20410).startAll()) {
            int leader = c.awaitLeader();
            int follower = (leader + 1) % 3;
            c.exec("app", "CREATE TABLE t (x)");
            assertThat(c.engines[follower].failure()).isEmpty();

            // What Ratis' state machine updater does when it catches a Throwable: close the member, and only it.
            c.engines[follower].node().raft().division().close();

            // not at once: a member that Ratis closes on purpose is started again within that grace
            Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                    .until(() -> c.engines[follower].failure().isEmpty());
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> c.engines[follower].failure().isPresent());
            assertThat(c.engines[follower].failure().get()).contains("the Raft member stopped (CLOSED)");
            assertThat(c.engines[leader].failure()).isEmpty();
            c.exec("app", "INSERT INTO t VALUES (1)"); // the other two go on

            Engine failed = c.engines[follower];
            c.stop(follower);
            assertThat(failed.failure()).as("a closed engine has not failed").isEmpty();
        }
    }
}
