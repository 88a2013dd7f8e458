package io.jdqlite.cli.shell;

/**
 * Collects input lines into complete inputs: a dot-command is one line; SQL runs once it ends with a ';'
 * that ends a statement (not one in a string, a quoted name, a comment or a trigger's BEGIN ... END), so
 * statements may span lines and a line may hold several. Lines of only comments or blanks between
 * statements are dropped.
 */
public final class StatementBuffer {
    private final StringBuilder pending = new StringBuilder();

    /** Adds a line; returns the complete input it finished, or null while more is needed. */
    public String add(String line) {
        if (pending.length() == 0 && line.trim().startsWith(".")) {
            return line.trim();
        }
        if (pending.length() > 0) {
            pending.append('\n');
        }
        pending.append(line);
        String text = pending.toString();
        if (SqlText.isBlank(text)) {
            pending.setLength(0);
            return null;
        }
        if (SqlText.complete(text)) {
            pending.setLength(0);
            return text.trim();
        }
        return null;
    }

    public boolean isEmpty() {
        return pending.toString().isBlank();
    }

    /** What is left at end of input (a last statement without ';'). */
    public String drain() {
        String s = pending.toString().trim();
        pending.setLength(0);
        return s.isEmpty() ? null : s;
    }
}
