package io.jdqlite.engine;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Statements the leader refuses. dqlite gives each client a SQLite connection of its own; jdqlite's leader
 * serves every client of a database from one connection, so connection-wide state one client sets (a
 * locking mode, query_only, a TEMP table) would be every client's, and some statements reach outside the
 * replicated file (ATTACH, VACUUM INTO) or under the engine (a checkpoint, a journal mode).
 */
final class StatementPolicy {
    private static final Pattern PRAGMA = Pattern.compile(
            "PRAGMA\\s+(?:[\\w\"`\\[\\]]+\\s*\\.\\s*)?[\"`\\[]?(\\w+)[\"`\\]]?\\s*([=(])?", Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE_TEMP = Pattern.compile("CREATE\\s+TEMP(ORARY)?\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern VACUUM_INTO = Pattern.compile("VACUUM\\b.*\\bINTO\\b", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    /** Pragmas that set connection- or process-wide state: reading them is fine, setting them is not. */
    private static final Set<String> SHARED_STATE_PRAGMAS = Set.of("locking_mode", "query_only", "journal_mode",
            "synchronous", "writable_schema", "temp_store", "temp_store_directory", "data_store_directory",
            "wal_autocheckpoint", "journal_size_limit", "mmap_size", "schema_version", "read_uncommitted",
            "cache_spill", "soft_heap_limit", "hard_heap_limit", "threads");
    /** Pragmas that act on the files the engine manages, in any form. */
    private static final Set<String> ENGINE_PRAGMAS = Set.of("wal_checkpoint");

    private StatementPolicy() {
    }

    /** Fails with SQLITE_AUTH, saying why, when {@code statement} (one statement) is refused. */
    static void check(String statement) {
        String code = StatementSplitter.withoutLeadingComments(statement);
        switch (StatementSplitter.firstKeyword(code)) {
            case "ATTACH", "DETACH" -> refuse("ATTACH and DETACH are not supported: each database is its own replicated file");
            case "CREATE" -> {
                if (CREATE_TEMP.matcher(code).lookingAt()) {
                    refuse("TEMP tables, views and triggers are not supported: jdqlite serves all clients of a database "
                            + "from one connection, so they would be shared");
                }
            }
            case "VACUUM" -> {
                if (VACUUM_INTO.matcher(code).lookingAt()) {
                    refuse("VACUUM INTO is not supported: it writes a file outside the cluster");
                }
            }
            case "PRAGMA" -> checkPragma(code);
            default -> { }
        }
    }

    private static void checkPragma(String code) {
        Matcher m = PRAGMA.matcher(code);
        if (!m.lookingAt()) {
            return; // not a pragma SQLite would parse either: let it report the error
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        boolean sets = m.group(2) != null;
        if (ENGINE_PRAGMAS.contains(name)) {
            refuse("PRAGMA " + name + " is not supported: jdqlite checkpoints the WAL itself, on every member");
        }
        if (sets && SHARED_STATE_PRAGMAS.contains(name)) {
            refuse("setting PRAGMA " + name + " is not supported: jdqlite serves all clients of a database from one "
                    + "connection, and the engine relies on its settings");
        }
    }

    private static void refuse(String why) {
        throw new EngineException(ErrorCodes.SQLITE_AUTH, why);
    }
}
