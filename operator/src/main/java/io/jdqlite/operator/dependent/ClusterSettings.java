package io.jdqlite.operator.dependent;

import io.jdqlite.operator.api.ClientServiceSpec;
import io.jdqlite.operator.api.DqliteCluster;
import io.jdqlite.operator.api.DqliteClusterSpec;
import io.jdqlite.operator.api.EngineSettings;
import io.jdqlite.operator.api.RecoverySpec;
import io.jdqlite.operator.api.SchedulingSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The spec with defaults applied, and what it cannot say in the schema (role targets capped at replicas). */
public final class ClusterSettings {
    private static final Pattern DURATION = Pattern.compile("^([0-9]+)(ms|s|m|h)$");
    /** Below these a node cannot run (an election needs max > min > 0) or writes time out at once. */
    static final Duration MIN_ELECTION_TIMEOUT = Duration.ofMillis(100);
    static final Duration MIN_WRITE_TIMEOUT = Duration.ofSeconds(1);
    /** No timeout needs more; it also keeps every value within what milliseconds in a long can hold. */
    static final Duration MAX_DURATION = Duration.ofDays(1);

    private ClusterSettings() {
    }

    public static int replicas(DqliteCluster c) {
        Integer r = c.getSpec().replicas;
        return r == null ? 3 : Math.max(1, r);
    }

    /** Voters actually aimed at: the target capped at replicas. */
    public static int voters(DqliteCluster c) {
        Integer v = c.getSpec().voters;
        return Math.max(1, Math.min(v == null ? 3 : v, replicas(c)));
    }

    public static int standbys(DqliteCluster c) {
        Integer s = c.getSpec().standbys;
        return Math.max(0, Math.min(s == null ? 0 : s, replicas(c) - voters(c)));
    }

    public static EngineSettings engine(DqliteCluster c) {
        EngineSettings e = c.getSpec().engine;
        return e == null ? new EngineSettings() : e;
    }

    public static ClientServiceSpec clientService(DqliteCluster c) {
        ClientServiceSpec s = c.getSpec().clientService;
        return s == null ? new ClientServiceSpec() : s;
    }

    public static SchedulingSpec scheduling(DqliteCluster c) {
        SchedulingSpec s = c.getSpec().scheduling;
        return s == null ? new SchedulingSpec() : s;
    }

    public static Duration unhealthyTimeout(DqliteCluster c) {
        RecoverySpec r = c.getSpec().recovery;
        return durationSetting("recovery.unhealthyTimeout", r == null ? null : r.unhealthyTimeout, "5m", Duration.ofMillis(1), new ArrayList<>());
    }

    /** Settings the operator cannot use as written (and what it uses instead); reported in status, never thrown. */
    public static List<String> settingProblems(DqliteCluster c) {
        List<String> problems = new ArrayList<>();
        EngineSettings e = engine(c);
        RecoverySpec r = c.getSpec().recovery;
        durationSetting("engine.electionTimeout", e.electionTimeout, "1s", MIN_ELECTION_TIMEOUT, problems);
        durationSetting("engine.writeTimeout", e.writeTimeout, "10s", MIN_WRITE_TIMEOUT, problems);
        durationSetting("recovery.unhealthyTimeout", r == null ? null : r.unhealthyTimeout, "5m", Duration.ofMillis(1), problems);
        return problems;
    }

    /** A duration setting that never throws: unreadable means the default, out of range the nearest bound. */
    static Duration durationSetting(String field, String value, String fallback, Duration min, List<String> problems) {
        if (value == null) {
            return parseDuration(fallback);
        }
        Duration d;
        try {
            d = parseDuration(value);
        } catch (IllegalArgumentException ex) {
            problems.add(field + " '" + value + "' is unusable (" + ex.getMessage() + "); using " + fallback);
            return parseDuration(fallback);
        }
        if (d.compareTo(min) < 0) {
            problems.add(field + " " + value + " is below the minimum " + min.toMillis() + "ms; using the minimum");
            return min;
        }
        if (d.compareTo(MAX_DURATION) > 0) {
            problems.add(field + " " + value + " exceeds " + MAX_DURATION.toHours() + "h; using " + MAX_DURATION.toHours() + "h");
            return MAX_DURATION;
        }
        return d;
    }

    /** Environment of every node, kept in the cluster's ConfigMap (NodeConfig names, JDQLITE_*). */
    public static Map<String, String> engineEnvironment(DqliteCluster c) {
        EngineSettings e = engine(c);
        List<String> ignored = new ArrayList<>(); // settingProblems reports them
        Duration election = durationSetting("engine.electionTimeout", e.electionTimeout, "1s", MIN_ELECTION_TIMEOUT, ignored);
        Duration write = durationSetting("engine.writeTimeout", e.writeTimeout, "10s", MIN_WRITE_TIMEOUT, ignored);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JDQLITE_CLUSTER_NAME", c.getMetadata().getName());
        env.put("JDQLITE_CHECKPOINT_THRESHOLD", String.valueOf(e.checkpointThreshold == null ? 1000 : e.checkpointThreshold));
        env.put("JDQLITE_SNAPSHOT_THRESHOLD", String.valueOf(e.snapshotThreshold == null ? 8192 : e.snapshotThreshold));
        env.put("JDQLITE_MAX_CONNECTIONS", String.valueOf(e.maxConnections == null ? 1024 : e.maxConnections));
        env.put("JDQLITE_ELECTION_TIMEOUT_MIN", election.toMillis() + "ms");
        env.put("JDQLITE_ELECTION_TIMEOUT_MAX", election.multipliedBy(2).toMillis() + "ms");
        env.put("JDQLITE_WRITE_TIMEOUT", write.toMillis() + "ms");
        // The operator assigns roles itself (MembershipPlanner): the nodes' own role management stays off,
        // and an empty node waits to be added instead of adding itself.
        env.put("JDQLITE_ROLES_AUTO", "false");
        return env;
    }

    /** Problems the schema cannot express; reported in status, never thrown. */
    public static String specWarnings(DqliteCluster c) {
        DqliteClusterSpec spec = c.getSpec();
        StringBuilder sb = new StringBuilder();
        if (spec.voters != null && spec.voters > replicas(c)) {
            sb.append("voters (").append(spec.voters).append(") exceeds replicas; using ").append(voters(c)).append(". ");
        }
        if (spec.standbys != null && spec.standbys > standbys(c)) {
            sb.append("standbys (").append(spec.standbys).append(") exceeds replicas - voters; using ").append(standbys(c)).append(". ");
        }
        if (voters(c) % 2 == 0) {
            sb.append("an even number of voters (").append(voters(c))
                    .append(") tolerates no more failures than ").append(voters(c) - 1).append("; an odd number is advised. ");
        }
        settingProblems(c).forEach(p -> sb.append(p).append(". "));
        return sb.toString().trim();
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (expected e.g. 500ms, 1s, 5m, 1h)");
        }
        try {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } catch (ArithmeticException tooLarge) { // NumberFormatException is an IllegalArgumentException already
            throw new IllegalArgumentException("duration too large: '" + text + "'", tooLarge);
        }
    }
}
