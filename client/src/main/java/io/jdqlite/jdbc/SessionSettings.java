package io.jdqlite.jdbc;

import io.jdqlite.client.DqliteConnection;
import io.jdqlite.client.DqliteException;
import io.jdqlite.client.Rows;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The per-connection pragmas of one JDBC connection ({@code foreign_keys}, say), from the URL and from the
 * application's own PRAGMA statements. A server connection starts with SQLite's defaults, so when the driver
 * moves to a new leader it sets them again there: an application that turned foreign keys on keeps them on.
 */
final class SessionSettings {
    /** Pragmas that hold for one connection (dqlite) or one session (jdqlite), and may be set in the URL. */
    static final Set<String> PRAGMAS = Set.of("foreign_keys", "recursive_triggers", "ignore_check_constraints",
            "reverse_unordered_selects", "automatic_index", "legacy_alter_table", "trusted_schema", "cell_size_check",
            "case_sensitive_like", "full_column_names", "short_column_names", "count_changes");
    private static final Set<String> BOOLEANS = Set.of("true", "false", "on", "off", "yes", "no", "1", "0");

    /** Pragma name to the value to set, in the order first set. */
    private final Map<String, String> values = new LinkedHashMap<>();

    SessionSettings() {
    }

    SessionSettings(Map<String, String> fromUrl) {
        values.putAll(fromUrl);
    }

    /** Checks a URL option naming one of the {@link #PRAGMAS}: a boolean. */
    static String urlValue(String name, String value) throws SQLException {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!BOOLEANS.contains(v)) {
            throw new SQLException("URL option " + name + " must be true or false, got '" + value + "'");
        }
        return v;
    }

    /** Sets every recorded value on a connection just opened. */
    void applyTo(DqliteConnection c) throws DqliteException {
        for (Map.Entry<String, String> e : values.entrySet()) {
            c.exec("PRAGMA " + e.getKey() + " = " + e.getValue());
        }
    }

    /**
     * After {@code text} ran on {@code c}: records the values of the per-connection pragmas it set, as the
     * server now has them (whatever the spelling, and SQLite ignores some inside a transaction).
     */
    void follow(SqlText text, DqliteConnection c) throws DqliteException {
        for (Map.Entry<String, String> set : text.pragmasSet().entrySet()) {
            String n = set.getKey().toLowerCase(Locale.ROOT);
            if (!PRAGMAS.contains(n)) {
                continue;
            }
            try (Rows r = c.query("PRAGMA " + n)) {
                if (r.next()) {
                    values.put(n, String.valueOf(r.get(0)));
                } else if (set.getValue() != null && set.getValue().matches("-?[A-Za-z0-9_]+")) {
                    values.put(n, set.getValue()); // case_sensitive_like reads back nothing: what was said
                }
            }
        }
    }

    /** Whether {@code text} sets a pragma at all (before a failure, its setting may have been made). */
    static boolean setsPragmas(SqlText text) {
        return !text.pragmasSet().isEmpty();
    }

    List<String> names() {
        return List.copyOf(values.keySet());
    }
}
