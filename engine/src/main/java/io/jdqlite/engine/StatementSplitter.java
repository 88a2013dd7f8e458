package io.jdqlite.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into statements at top-level semicolons the way sqlite3_complete() decides where a
 * statement ends: quotes, identifiers in brackets/backticks and comments are skipped, and inside
 * CREATE TRIGGER a semicolon ends the statement only right after END.
 */
final class StatementSplitter {
    private StatementSplitter() {
    }

    static List<String> split(String sql) {
        return split(sql, null);
    }

    /**
     * Where the first statement ends: the index just past its ';' (or the end of the text), which is
     * what PREPARE reports as the offset of the unprepared tail.
     */
    static int firstStatementEnd(String sql) {
        int[] end = {sql.length()};
        split(sql, end);
        return end[0];
    }

    private static List<String> split(String sql, int[] firstEnd) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = sql.length();
        List<String> words = new ArrayList<>(); // first words of the current statement
        String lastToken = "";
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(sql, i, c);
                lastToken = "?";
            } else if (c == '[') {
                int end = sql.indexOf(']', i);
                i = end < 0 ? n : end + 1;
                lastToken = "?";
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$')) {
                    j++;
                }
                lastToken = sql.substring(i, j).toUpperCase(Locale.ROOT);
                if (words.size() < 4) {
                    words.add(lastToken);
                }
                i = j;
            } else if (c == ';') {
                if (!isTrigger(words) || lastToken.equals("END")) {
                    addIfNotBlank(out, sql.substring(start, i));
                    if (firstEnd != null && out.size() == 1 && firstEnd[0] == sql.length()) {
                        firstEnd[0] = i + 1;
                    }
                    start = i + 1;
                    words.clear();
                }
                lastToken = ";";
                i++;
            } else {
                if (!Character.isWhitespace(c)) {
                    lastToken = String.valueOf(c);
                }
                i++;
            }
        }
        addIfNotBlank(out, sql.substring(start));
        return out;
    }

    private static boolean isTrigger(List<String> w) {
        int k = 0;
        if (k < w.size() && w.get(k).equals("EXPLAIN")) {
            k++;
        }
        if (k >= w.size() || !w.get(k).equals("CREATE")) {
            return false;
        }
        k++;
        if (k < w.size() && (w.get(k).equals("TEMP") || w.get(k).equals("TEMPORARY"))) {
            k++;
        }
        return k < w.size() && w.get(k).equals("TRIGGER");
    }

    private static int skipQuoted(String sql, int i, char quote) {
        int j = i + 1;
        while (j < sql.length()) {
            if (sql.charAt(j) == quote) {
                if (j + 1 < sql.length() && sql.charAt(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return sql.length();
    }

    private static void addIfNotBlank(List<String> out, String s) {
        if (!isBlank(s)) {
            out.add(s.strip());
        }
    }

    /** True when the text holds only whitespace and comments. */
    static boolean isBlank(String s) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (s.startsWith("--", i)) {
                int eol = s.indexOf('\n', i);
                i = eol < 0 ? s.length() : eol + 1;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
            } else {
                return false;
            }
        }
        return true;
    }

    /** The first keyword of a statement, upper-cased ("" if none). */
    static String firstKeyword(String sql) {
        int i = 0;
        while (i < sql.length() && !Character.isLetter(sql.charAt(i))) {
            if (sql.startsWith("--", i)) {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? sql.length() : eol + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
            } else {
                i++;
            }
        }
        int j = i;
        while (j < sql.length() && Character.isLetter(sql.charAt(j))) {
            j++;
        }
        return sql.substring(i, j).toUpperCase(Locale.ROOT);
    }
}
