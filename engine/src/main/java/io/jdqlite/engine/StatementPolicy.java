package io.jdqlite.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Statements the leader refuses. dqlite gives each client a SQLite connection of its own; jdqlite's leader
 * serves every client of a database from one connection, so connection-wide state one client sets (a
 * locking mode, query_only, a TEMP table) would be every client's, and some statements reach outside the
 * replicated file (ATTACH, VACUUM INTO) or under the engine (a checkpoint, a journal mode). The statement
 * is read as SQLite's tokenizer would: comments may sit between any two tokens, and names may be quoted.
 */
final class StatementPolicy {
    /** Pragmas that set connection- or process-wide state: reading them is fine, setting them is not. */
    private static final Set<String> SHARED_STATE_PRAGMAS = Set.of("locking_mode", "query_only", "journal_mode",
            "synchronous", "writable_schema", "temp_store", "temp_store_directory", "data_store_directory",
            "wal_autocheckpoint", "journal_size_limit", "mmap_size", "schema_version", "read_uncommitted",
            "cache_spill", "soft_heap_limit", "hard_heap_limit", "threads");
    /** Settings the engine itself uses: setting them again changes nothing, so applications may. */
    private static final Map<String, Set<String>> ENGINE_SETTINGS = Map.of("journal_mode", Set.of("wal"),
            "synchronous", Set.of("off", "0"));
    /** Pragmas that act on the files the engine manages, in any form. */
    private static final Set<String> ENGINE_PRAGMAS = Set.of("wal_checkpoint");

    private StatementPolicy() {
    }

    /** Fails with SQLITE_AUTH, saying why, when {@code statement} (one statement) is refused. */
    static void check(String statement) {
        List<String> t = tokens(statement);
        int start = 0;
        // EXPLAIN [QUERY PLAN] prepares the statement after it, and a pragma acts when prepared.
        if (at(t, 0).equals("explain")) {
            start = at(t, 1).equals("query") && at(t, 2).equals("plan") ? 3 : 1;
        }
        List<String> s = t.subList(Math.min(start, t.size()), t.size());
        switch (at(s, 0)) {
            case "attach", "detach" -> refuse("ATTACH and DETACH are not supported: each database is its own replicated file");
            case "create" -> checkCreate(s);
            case "vacuum" -> {
                if (s.contains("into")) {
                    refuse("VACUUM INTO is not supported: it writes a file outside the cluster");
                }
            }
            case "pragma" -> checkPragma(s);
            default -> { }
        }
    }

    private static void checkCreate(List<String> s) {
        boolean temp = at(s, 1).equals("temp") || at(s, 1).equals("temporary");
        // CREATE TABLE temp.x, or a view over temp.x (which makes it TEMP): the temp schema named
        boolean tempSchema = false;
        for (int k = 0; k + 1 < s.size(); k++) {
            tempSchema |= s.get(k).equals("temp") && s.get(k + 1).equals(".");
        }
        if (temp || tempSchema) {
            refuse("TEMP tables, views and triggers are not supported: jdqlite serves all clients of a database "
                    + "from one connection, so they would be shared");
        }
    }

    private static void checkPragma(List<String> s) {
        // PRAGMA [schema .] name [= value | (value)]
        int at = at(s, 2).equals(".") ? 3 : 1;
        String name = at(s, at);
        String next = at(s, at + 1);
        boolean sets = next.equals("=") || next.equals("(");
        if (ENGINE_PRAGMAS.contains(name)) {
            refuse("PRAGMA " + name + " is not supported: jdqlite checkpoints the WAL itself, on every member");
        }
        String value = at(s, at + 2);
        if (sets && SHARED_STATE_PRAGMAS.contains(name) && !ENGINE_SETTINGS.getOrDefault(name, Set.of()).contains(value)) {
            refuse("setting PRAGMA " + name + " is not supported: jdqlite serves all clients of a database from one "
                    + "connection, and the engine relies on its settings");
        }
    }

    private static void refuse(String why) {
        throw new EngineException(ErrorCodes.SQLITE_AUTH, why);
    }

    private static String at(List<String> tokens, int i) {
        return i < tokens.size() ? tokens.get(i) : "";
    }

    /**
     * The statement's first tokens, lower-cased: words and names (quotes removed, whatever the quoting),
     * numbers, and single punctuation characters; comments and whitespace skipped wherever they are.
     */
    static List<String> tokens(String sql) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n && out.size() < 64) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
                char close = c == '[' ? ']' : c;
                StringBuilder name = new StringBuilder();
                i++;
                while (i < n) {
                    char d = sql.charAt(i++);
                    if (d == close) {
                        if (close != ']' && i < n && sql.charAt(i) == close) {
                            name.append(close); // a doubled quote stands for itself
                            i++;
                            continue;
                        }
                        break;
                    }
                    name.append(d);
                }
                out.add(name.toString().toLowerCase(Locale.ROOT));
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7f) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$'
                        || sql.charAt(j) > 0x7f)) {
                    j++;
                }
                out.add(sql.substring(i, j).toLowerCase(Locale.ROOT));
                i = j;
            } else {
                out.add(String.valueOf(c));
                i++;
            }
        }
        return out;
    }
}
