package io.jdqlite.cli.shell;

/**
 * Collects input lines into complete inputs: a dot-command is one line; SQL runs once a line ends with ';'
 * outside quotes (so statements may span lines).
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
        if (complete(pending)) {
            String s = pending.toString().trim();
            pending.setLength(0);
            return s;
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

    static boolean complete(CharSequence sql) {
        char quote = 0;
        char last = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            }
            if (!Character.isWhitespace(c)) {
                last = c;
            }
        }
        return quote == 0 && last == ';';
    }
}
