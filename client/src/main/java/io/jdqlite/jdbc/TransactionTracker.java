package io.jdqlite.jdbc;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Whether the connection's server side is in a transaction, followed from what the driver sends: BEGIN,
 * COMMIT/END, ROLLBACK, and savepoints (a SAVEPOINT outside a transaction begins one, which the RELEASE of
 * that outermost savepoint ends). The driver needs it to never retry a statement outside the transaction
 * it belonged to. A transaction SQLite ends by itself (RAISE(ROLLBACK), ON CONFLICT ROLLBACK) is not seen.
 */
final class TransactionTracker {
    private boolean open;
    private boolean begunBySavepoint;
    private final Deque<String> savepoints = new ArrayDeque<>();

    boolean isOpen() {
        return open;
    }

    void begun() {
        open = true;
        begunBySavepoint = false;
        savepoints.clear();
    }

    void ended() {
        open = false;
        begunBySavepoint = false;
        savepoints.clear();
    }

    /** Follows the transaction statements among those of {@code text}, in order. */
    void follow(SqlText text) {
        for (List<String> words : text.statements()) {
            switch (words.get(0)) {
                case "BEGIN" -> begun();
                case "COMMIT", "END" -> ended();
                case "ROLLBACK" -> rollback(words);
                case "SAVEPOINT" -> savepoint(nameAfter(words, 1));
                case "RELEASE" -> release(nameAfter(words, 1));
                default -> { }
            }
        }
    }

    /** ROLLBACK TO [SAVEPOINT] x keeps the transaction (and x) open; a plain ROLLBACK ends it. */
    private void rollback(List<String> words) {
        if (!words.contains("TO")) {
            ended();
        }
    }

    private void savepoint(String name) {
        if (!open) {
            open = true;
            begunBySavepoint = true;
        }
        savepoints.push(name);
    }

    /** Releases the named savepoint and those after it; releasing the one that began the transaction commits it. */
    private void release(String name) {
        if (!savepoints.contains(name)) {
            return; // SQLite refuses it: nothing changed
        }
        while (!savepoints.pop().equals(name)) {
            // inner savepoints go with it
        }
        if (savepoints.isEmpty() && begunBySavepoint) {
            ended();
        }
    }

    /** The savepoint name at {@code index} (after an optional SAVEPOINT keyword), without quoting marks. */
    private static String nameAfter(List<String> words, int index) {
        int i = index < words.size() && words.get(index).equals("SAVEPOINT") ? index + 1 : index;
        String name = i < words.size() ? words.get(i) : "";
        return name.startsWith(SqlText.QUOTED) ? name.substring(SqlText.QUOTED.length()) : name;
    }
}
