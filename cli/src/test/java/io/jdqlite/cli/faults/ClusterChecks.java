package io.jdqlite.cli.faults;

import org.awaitility.core.ConditionTimeoutException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the fault tests ask of a {@link NetnsCluster}: who leads, and whether the replicas agree. */
final class ClusterChecks {
    static final Pattern APPLIED = Pattern.compile("\"appliedIndex\"\\s*:\\s*(\\d+)");
    static final Pattern LEADER = Pattern.compile("\"leader\"\\s*:\\s*true");
    static final Pattern COMMIT = Pattern.compile("\"commitIndex\"\\s*:\\s*(\\d+)");

    /** The index of the node that leads (waits up to 30 s for one). */
    static int leader(NetnsCluster cluster) {
        int[] found = {-1};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            for (int i = 0; i < 3; i++) {
                try {
                    if (LEADER.matcher(cluster.status(i)).find()) {
                        found[0] = i;
                        return true;
                    }
                } catch (java.io.IOException e) {
                    // that node is down: ask the others
                }
            }
            return false;
        });
        return found[0];
    }

    static long number(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static void awaitSameAppliedIndex(NetnsCluster cluster) {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                long a = number(APPLIED, cluster.status(0));
                return a > 0 && a == number(APPLIED, cluster.status(1)) && a == number(APPLIED, cluster.status(2));
            });
        } catch (ConditionTimeoutException e) {
            // Which member is behind, and what the leader knows of its progress (matchIndex, lag).
            throw new AssertionError("the replicas did not reach the same applied index within 60 s" + statuses(cluster), e);
        }
    }

    /** Stops every node and compares the three SQLite files: same rows, integrity ok. */
    static void assertReplicasIdentical(NetnsCluster cluster) throws Exception {
        awaitSameAppliedIndex(cluster);
        for (int i = 0; i < 3; i++) {
            cluster.stop(i);
        }
        List<List<Long>> contents = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path file = cluster.dataDir(i).resolve("db").resolve("app.sqlite");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
                    rs.next();
                    assertThat(rs.getString(1)).as("integrity of node %d", i + 1).isEqualTo("ok");
                }
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT id, length(payload) FROM t ORDER BY id")) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                contents.add(ids);
            }
        }
        assertThat(contents.get(1)).isEqualTo(contents.get(0));
        assertThat(contents.get(2)).isEqualTo(contents.get(0));
    }

    /**
     * Waits until every node applied what the leader had committed when this was called: no member is left
     * behind, even while writes go on.
     */
    static void awaitEveryNodeApplied(NetnsCluster cluster, Duration timeout) throws Exception {
        long target = number(COMMIT, cluster.status(leader(cluster)));
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                for (int i = 0; i < 3; i++) {
                    if (number(APPLIED, cluster.status(i)) < target) {
                        return false;
                    }
                }
                return true;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not every node applied index " + target + " within " + timeout + statuses(cluster), e);
        }
    }

    private static String statuses(NetnsCluster cluster) {
        StringBuilder statuses = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            String status;
            try {
                status = cluster.status(i);
            } catch (Exception unreachable) {
                status = "unreachable: " + unreachable;
            }
            statuses.append("\nnode ").append(i + 1).append(": ").append(status);
        }
        return statuses.toString();
    }

    private ClusterChecks() {
    }
}
