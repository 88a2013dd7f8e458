package io.jdqlite.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-connection pragmas, kept per client session. dqlite gives each client a SQLite connection of its own,
 * so {@code PRAGMA foreign_keys=ON} holds for that client only; jdqlite's leader serves all clients of a
 * database from one connection, so it remembers what each session set and switches the connection to the
 * session's values before running that session's statements. Only settings that read back a value are
 * kept here; the ones that would change the engine's own behaviour are refused by {@link StatementPolicy}.
 *
 * <p>Used on the leader loop, except {@link #readsViaLoop}, which any thread may ask.
 */
final class SessionPragmas {
    /** Per-connection settings a session may change for itself. */
    static final Set<String> PER_SESSION = Set.of("foreign_keys", "recursive_triggers", "ignore_check_constraints",
            "reverse_unordered_selects", "automatic_index", "legacy_alter_table", "trusted_schema", "cell_size_check");
    /** Of those, the ones that change what a query answers or how it runs: the read-only readers lack them. */
    private static final Set<String> AFFECT_READS = Set.of("reverse_unordered_selects", "automatic_index", "trusted_schema",
            "cell_size_check");

    private final Connection conn;
    /** The connection's values when opened: what a session that set nothing expects. */
    private final Map<String, String> defaults = new HashMap<>();
    /** The connection's values now. */
    private final Map<String, String> current = new HashMap<>();
    /** What each session set, where it differs from the defaults. */
    private final Map<EngineSession, Map<String, String>> bySession = new HashMap<>();
    /** Sessions whose settings change reads: their queries run on the loop, on the connection that has them. */
    private final Set<EngineSession> readsViaLoop = ConcurrentHashMap.newKeySet();

    SessionPragmas(Connection conn) throws SQLException {
        this.conn = conn;
        for (String name : PER_SESSION) {
            String v = read(name);
            defaults.put(name, v);
            current.put(name, v);
        }
    }

    /** Before running a statement of {@code session}: the connection gets that session's settings. */
    void switchTo(EngineSession session) throws SQLException {
        Map<String, String> wanted = bySession.getOrDefault(session, Map.of());
        for (Map.Entry<String, String> e : current.entrySet()) {
            String value = wanted.getOrDefault(e.getKey(), defaults.get(e.getKey()));
            if (!value.equals(e.getValue())) {
                try (Statement st = conn.createStatement()) {
                    st.execute("PRAGMA " + e.getKey() + " = " + value);
                }
                // Inside a transaction some settings do not change (foreign_keys): keep what the connection says.
                e.setValue(read(e.getKey()));
            }
        }
    }

    /** After {@code session} ran {@code statement} successfully: a per-session setting it changed is its own. */
    void afterStatement(EngineSession session, String statement) throws SQLException {
        String name = settingNamed(statement);
        if (name == null) {
            return;
        }
        String value = read(name); // what the connection now has, whatever spelling the statement used
        current.put(name, value);
        Map<String, String> mine = bySession.computeIfAbsent(session, s -> new HashMap<>());
        if (value.equals(defaults.get(name))) {
            mine.remove(name);
        } else {
            mine.put(name, value);
        }
        if (mine.keySet().stream().anyMatch(AFFECT_READS::contains)) {
            readsViaLoop.add(session);
        } else {
            readsViaLoop.remove(session);
        }
    }

    /** Whether {@code session}'s queries must run on the leader's connection to see its settings. */
    boolean readsViaLoop(EngineSession session) {
        return readsViaLoop.contains(session);
    }

    void forget(EngineSession session) {
        bySession.remove(session);
        readsViaLoop.remove(session);
    }

    /** The per-session pragma {@code statement} sets, or null when it sets none. */
    static String settingNamed(String statement) {
        List<String> t = StatementPolicy.tokens(statement);
        if (!t.isEmpty() && t.get(0).equals("explain")) { // EXPLAIN PRAGMA x=1 sets x: SQLite does it when preparing
            t = t.subList(t.size() > 2 && t.get(1).equals("query") && t.get(2).equals("plan") ? 3 : 1, t.size());
        }
        if (t.isEmpty() || !t.get(0).equals("pragma")) {
            return null;
        }
        int at = t.size() > 2 && t.get(2).equals(".") ? 3 : 1;
        String name = at < t.size() ? t.get(at) : "";
        boolean sets = at + 1 < t.size() && (t.get(at + 1).equals("=") || t.get(at + 1).equals("("));
        return sets && PER_SESSION.contains(name) ? name : null;
    }

    private String read(String name) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : "";
        }
    }
}
