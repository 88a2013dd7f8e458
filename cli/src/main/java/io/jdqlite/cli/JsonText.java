package io.jdqlite.cli;

import java.util.Locale;

/** JSON text for the CLI's own output (bench result files, the shell's JSON mode). */
public final class JsonText {
    private JsonText() {
    }

    /**
     * A JSON string literal: quotes, backslashes and control characters escaped, and DEL, U+2028 and
     * U+2029 too (JavaScript readers of the output choke on the latter).
     */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
