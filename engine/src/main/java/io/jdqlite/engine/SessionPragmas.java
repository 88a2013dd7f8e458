package io.jdqlite.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Per-connection pragmas, kept per client session. dqlite gives each client a SQLite connection of its own,
 * so {@code PRAGMA foreign_keys=ON} holds for that client only; jdqlite's leader serves all clients of a
 * database from one connection, so each session remembers what it set ({@link Settings}, kept on the
 * session so that it outlives a leader loop) and the loop switches the connection to the session's values
 * before running that session's statements. The settings that would change the engine's own behaviour are
 * refused by {@link StatementPolicy} instead.
 *
 * <p>One instance per leader connection, used on the leader loop.
 */
final class SessionPragmas {
    /** Per-connection settings a session may change for itself. */
    static final Set<String> PER_SESSION = Set.of("foreign_keys", "recursive_triggers", "ignore_check_constraints",
            "reverse_unordered_selects", "automatic_index", "legacy_alter_table", "trusted_schema", "cell_size_check",
            "case_sensitive_like", "full_column_names", "short_column_names", "count_changes");
    /** Of those, the ones that change what a query answers or how it runs: the read-only readers lack them. */
    private static final Set<String> AFFECT_READS = Set.of("reverse_unordered_selects", "automatic_index", "trusted_schema",
            "cell_size_check", "case_sensitive_like", "full_column_names", "short_column_names");
    /** Settings SQLite does not read back: what the statement said is what the connection has. */
    private static final Set<String> WRITE_ONLY = Set.of("case_sensitive_like");

    /** What one session set, where it differs from the connection's defaults. */
    static final class Settings {
        /** Touched on the leader loops only (one at a time: a session's work goes through its inbox). */
        private final Map<String, String> values = new HashMap<>();
        /** Whether its queries must run on the leader's connection to see its settings; any thread reads it. */
        private volatile boolean readsViaLoop;

        boolean readsViaLoop() {
            return readsViaLoop;
        }
    }

    private final Connection conn;
    /** The connection's values when opened: what a session that set nothing expects. */
    private final Map<String, String> defaults = new HashMap<>();
    /** The connection's values now. */
    private final Map<String, String> current = new HashMap<>();

    SessionPragmas(Connection conn) throws SQLException {
        this.conn = conn;
        for (String name : PER_SESSION) {
            String v = WRITE_ONLY.contains(name) ? "0" : read(name);
            defaults.put(name, v);
            current.put(name, v);
        }
    }

    /** Before running a statement of a session: the connection gets that session's settings. */
    void switchTo(Settings session) throws SQLException {
        for (Map.Entry<String, String> e : current.entrySet()) {
            String value = session.values.getOrDefault(e.getKey(), defaults.get(e.getKey()));
            if (!value.equals(e.getValue())) {
                try (Statement st = conn.createStatement()) {
                    st.execute("PRAGMA " + e.getKey() + " = " + value);
                }
                // Inside a transaction some settings do not change (foreign_keys): keep what the connection says.
                e.setValue(WRITE_ONLY.contains(e.getKey()) ? value : read(e.getKey()));
            }
        }
    }

    /**
     * After a session prepared or ran {@code statement}: a per-session setting it changed is its own. SQLite
     * changes it already when preparing, so the value is read back from the connection, not the statement.
     */
    void afterStatement(Settings session, String statement) throws SQLException {
        List<String> t = StatementPolicy.tokens(statement);
        if (!t.isEmpty() && t.get(0).equals("explain")) { // EXPLAIN PRAGMA x=1 sets x too
            t = t.subList(t.size() > 2 && t.get(1).equals("query") && t.get(2).equals("plan") ? 3 : 1, t.size());
        }
        String name = settingNamed(t);
        if (name == null) {
            return;
        }
        String value = WRITE_ONLY.contains(name) ? bool(t.size() > settingValueAt(t) ? t.get(settingValueAt(t)) : "") : read(name);
        current.put(name, value);
        if (value.equals(defaults.get(name))) {
            session.values.remove(name);
        } else {
            session.values.put(name, value);
        }
        session.readsViaLoop = session.values.keySet().stream().anyMatch(AFFECT_READS::contains);
    }

    /** The per-session pragma {@code statement} sets, or null when it sets none. */
    static String settingNamed(String statement) {
        List<String> t = StatementPolicy.tokens(statement);
        if (!t.isEmpty() && t.get(0).equals("explain")) {
            t = t.subList(t.size() > 2 && t.get(1).equals("query") && t.get(2).equals("plan") ? 3 : 1, t.size());
        }
        return settingNamed(t);
    }

    /** {@code PRAGMA [schema .] name = value} or {@code (value)}, as tokens. */
    private static String settingNamed(List<String> t) {
        if (t.isEmpty() || !t.get(0).equals("pragma")) {
            return null;
        }
        int at = nameAt(t);
        String name = at < t.size() ? t.get(at) : "";
        boolean sets = at + 1 < t.size() && (t.get(at + 1).equals("=") || t.get(at + 1).equals("("));
        return sets && PER_SESSION.contains(name) ? name : null;
    }

    private static int nameAt(List<String> t) {
        return t.size() > 2 && t.get(2).equals(".") ? 3 : 1;
    }

    private static int settingValueAt(List<String> t) {
        int at = nameAt(t) + 2;
        return at < t.size() && t.get(at).equals("-") ? at + 1 : at;
    }

    /** SQLite's reading of a boolean argument (sqlite3GetBoolean, false by default), as "1" or "0". */
    private static String bool(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.equals("on") || w.equals("true") || w.equals("yes")) {
            return "1";
        }
        try {
            return Long.parseLong(w) != 0 ? "1" : "0";
        } catch (NumberFormatException e) {
            return "0";
        }
    }

    private String read(String name) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : "";
        }
    }
}
