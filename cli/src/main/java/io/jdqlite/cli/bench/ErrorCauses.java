package io.jdqlite.cli.bench;

import io.jdqlite.client.DqliteException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Counts of a run's errors by cause, so that "16 errors" also says what they were (leadership lost, busy, a
 * connection refused...). Causes are messages with node addresses taken out, so one cause at three nodes
 * counts once; past {@link #MAX_CAUSES} distinct causes the rest count as {@link #OTHER}, keeping memory bounded.
 */
final class ErrorCauses {
    static final int MAX_CAUSES = 16;
    static final String OTHER = "(other causes)";
    static final String NO_ROW = "no row for the key (as go's sql.ErrNoRows)";
    private static final Pattern ADDRESS = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[0-9]{1,3}(\\.[0-9]{1,3}){3}|[A-Za-z0-9.-]+\\.[A-Za-z]{2,}|localhost):[0-9]{1,5}");
    private static final int MAX_CAUSE_LENGTH = 200;
    /** Messages already cleaned: a run against C dqlite fails tens of thousands of writes a second, all alike. */
    private static final int MAX_CACHED = 64;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, String> cleaned = new java.util.HashMap<>();

    /** Counts one failure with this message (see {@link #of}); node addresses are taken out. */
    void add(String message) {
        String cause = cleaned.get(message);
        if (cause == null) {
            cause = clean(message);
            if (cleaned.size() < MAX_CACHED) {
                cleaned.put(message, cause);
            }
        }
        add(cause, 1);
    }

    /** Adds another worker's counts (their causes are clean already). */
    void addAll(ErrorCauses other) {
        other.counts.forEach(this::add);
    }

    private void add(String cause, long n) {
        String key = counts.containsKey(cause) || counts.size() < MAX_CAUSES ? cause : OTHER;
        counts.merge(key, n, Long::sum);
    }

    /** Causes, most frequent first. */
    Map<String, Long> byCount() {
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** The message of a failed request. */
    static String of(DqliteException e) {
        return e.getMessage();
    }

    /** The message of an unexpected failure in the client (a bug or a garbled answer), which the run counts too. */
    static String of(RuntimeException e) {
        return "client failure: " + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String clean(String message) {
        String s = ADDRESS.matcher(String.valueOf(message)).replaceAll("<node>").strip();
        return s.length() <= MAX_CAUSE_LENGTH ? s : s.substring(0, MAX_CAUSE_LENGTH) + "...";
    }
}
