package io.jdqlite.jdbc;

import io.jdqlite.client.ClientConfig;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Properties;

/**
 * {@code jdbc:dqlite://host1:9001,host2:9001/dbname?connectTimeout=5s&requestTimeout=30s&leaderSearchTimeout=15s},
 * {@code interruptTimeout=5s} (how long Statement.cancel() waits for the node before closing the connection),
 * {@code maxMessageSize=<bytes>} (the largest reply read; see {@link ClientConfig#maxMessageSize()}),
 * and per-connection pragmas as sqlite-jdbc takes them ({@code foreign_keys=true}).
 */
record JdbcUrl(List<String> addresses, String database, ClientConfig config, Map<String, String> pragmas) {
    static final String PREFIX = "jdbc:dqlite://";

    static boolean accepts(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    static JdbcUrl parse(String url, Properties info) throws SQLException {
        if (!accepts(url)) {
            throw new SQLException("not a dqlite URL (jdbc:dqlite://host:port[,host:port...]/database): " + url);
        }
        String rest = url.substring(PREFIX.length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new SQLException("the URL needs hosts and a database name: jdbc:dqlite://host:port/database, got " + url);
        }
        List<String> addresses = new ArrayList<>();
        for (String a : rest.substring(0, slash).split(",")) {
            if (!a.isBlank()) {
                addresses.add(a.trim());
            }
        }
        String database = rest.substring(slash + 1);
        Properties all = new Properties();
        if (info != null) {
            all.putAll(info);
        }
        for (String kv : query.split("&")) {
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new SQLException("bad URL option '" + kv + "' (name=value)");
            }
            all.setProperty(kv.substring(0, eq), kv.substring(eq + 1));
        }
        ClientConfig.Builder b = ClientConfig.builder().addresses(addresses);
        Map<String, String> pragmas = new TreeMap<>();
        try {
            for (String name : all.stringPropertyNames()) {
                String v = all.getProperty(name);
                String lower = name.toLowerCase(java.util.Locale.ROOT);
                if (SessionSettings.PRAGMAS.contains(lower)) {
                    pragmas.put(lower, SessionSettings.urlValue(name, v));
                    continue;
                }
                switch (name) {
                    case "connectTimeout" -> b.connectTimeout(duration(name, v));
                    case "requestTimeout" -> b.requestTimeout(duration(name, v));
                    case "leaderSearchTimeout" -> b.leaderSearchTimeout(duration(name, v));
                    case "interruptTimeout" -> b.interruptTimeout(duration(name, v));
                    case "maxMessageSize" -> b.maxMessageSize(bytes(name, v));
                    case "user", "password" -> { } // dqlite has no authentication; tools pass these anyway
                    default -> throw new SQLException("unknown URL option '" + name
                            + "' (connectTimeout, requestTimeout, leaderSearchTimeout, interruptTimeout, maxMessageSize, or a pragma: "
                            + String.join(", ", new java.util.TreeSet<>(SessionSettings.PRAGMAS)) + ")");
                }
            }
            return new JdbcUrl(addresses, database, b.build(), java.util.Collections.unmodifiableMap(pragmas));
        } catch (IllegalArgumentException e) {
            throw new SQLException(e.getMessage(), e);
        }
    }

    private static int bytes(String name, String v) throws SQLException {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new SQLException(name + " must be a number of bytes, at most " + Integer.MAX_VALUE + ", got '" + v + "'");
        }
    }

    private static Duration duration(String name, String v) throws SQLException {
        String t = v.trim();
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofMillis(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new SQLException(name + " must be like 5s or 500ms, got '" + v + "'");
        }
    }
}
