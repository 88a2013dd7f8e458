package io.jdqlite.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplicationTest {
    @TempDir
    Path tmp;

    @Test
    void writesOnTheLeaderReachEveryReplica() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20000).startAll()) {
            c.exec("app", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, r INTEGER, ts TEXT)");
            for (int i = 0; i < 50; i++) {
                c.exec("app", "INSERT INTO t (v, r, ts) VALUES (?, random(), datetime('now'))", "row" + i);
            }
            QueryResult rows = c.query("app", "SELECT count(*), count(DISTINCT r), group_concat(r), max(ts) FROM t");
            assertThat(rows.rows().get(0)[0]).isEqualTo(50L);

            int leader = c.awaitLeader();
            int follower = (leader + 1) % 3;
            // Move leadership to a follower: it must serve exactly the same data.
            c.engines[leader].transfer(follower + 1).get(10, TimeUnit.SECONDS);
            QueryResult after = c.query("app", "SELECT count(*), count(DISTINCT r), group_concat(r), max(ts) FROM t");
            assertThat(c.awaitLeader()).isEqualTo(follower);
            assertThat(after.rows().get(0)).containsExactly(rows.rows().get(0));
        }
    }

    @Test
    void followersRefuseStatementsWithNotLeader() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 3, 20010).startAll()) {
            int leader = c.awaitLeader();
            Engine follower = c.engines[(leader + 1) % 3];
            try (Session s = follower.openSession("app")) {
                assertThatThrownBy(() -> s.execSql("CREATE TABLE x (a)", List.of()).get(5, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(EngineException.class)
                        .cause().extracting(e -> ((EngineException) e).code()).isEqualTo(ErrorCodes.SQLITE_IOERR_NOT_LEADER);
            }
        }
    }
}
