package io.jdqlite.jdbc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the driver needs to know about SQL text without a round trip: how many parameters it takes, whether
 * it returns rows, and how it changes the transaction state. A small lexer that knows SQLite's quoting,
 * comments and parameter forms, so a '?' in a comment or string is not a parameter and a leading comment
 * does not hide a SELECT.
 */
final class SqlText {
    private static final int MAX_PARAMETER = 32767;
    /** Marks a quoted identifier's word, so that a table named "returning" is no keyword. */
    static final String QUOTED = "\u0001";
    /** Pragmas whose parenthesised argument says what to read, not a value to set. */
    private static final java.util.Set<String> READING_ARGUMENT_PRAGMAS = java.util.Set.of("TABLE_INFO", "TABLE_XINFO",
            "INDEX_LIST", "INDEX_INFO", "INDEX_XINFO", "FOREIGN_KEY_LIST", "FOREIGN_KEY_CHECK", "INTEGRITY_CHECK",
            "QUICK_CHECK", "TABLE_LIST");
    private final List<List<String>> statements;
    private final int parameterCount;

    private SqlText(List<List<String>> statements, int parameterCount) {
        this.statements = statements;
        this.parameterCount = parameterCount;
    }

    static SqlText parse(String sql) {
        return new Lexer(sql).run();
    }

    /** The highest parameter index, by SQLite's numbering: '?' takes the next, ?NNN its own, names their first. */
    int parameterCount() {
        return parameterCount;
    }

    /**
     * Whether the first statement yields rows: SELECT, VALUES, EXPLAIN, a WITH whose main statement is a
     * SELECT, a PRAGMA that reads (no '='), and any statement with RETURNING.
     */
    boolean returnsRows() {
        if (statements.isEmpty()) {
            return false;
        }
        List<String> words = statements.get(0);
        String verb = mainVerb(words);
        return switch (verb) {
            case "SELECT", "VALUES", "EXPLAIN" -> true;
            case "PRAGMA" -> !words.contains("=");
            default -> words.contains("RETURNING");
        };
    }

    /**
     * Whether every statement only reads (or controls the transaction): what a read-only connection allows.
     */
    boolean isRead() {
        for (List<String> words : statements) {
            String verb = mainVerb(words);
            boolean read = switch (verb) {
                case "SELECT", "VALUES", "EXPLAIN" -> true;
                case "PRAGMA" -> !words.contains("=") && (!words.contains("(") || READING_ARGUMENT_PRAGMAS.contains(pragmaName(words)));
                case "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE" -> true;
                default -> false;
            };
            if (!read) {
                return false;
            }
        }
        return true;
    }

    /** Each statement's top-level words, upper-cased ("(" marks where a parenthesis opened). */
    List<List<String>> statements() {
        return statements;
    }

    /** Whether the first statement inserts rows (INSERT or REPLACE, possibly after a WITH). */
    boolean inserts() {
        if (statements.isEmpty()) {
            return false;
        }
        String verb = mainVerb(statements.get(0));
        return verb.equals("INSERT") || verb.equals("REPLACE");
    }

    /**
     * The pragmas the statements set ({@code [EXPLAIN] PRAGMA [schema.]name = v} or {@code (v)}): upper-cased
     * name to the value word after '=' (a leading '-' kept), or null when the value is in parentheses.
     */
    Map<String, String> pragmasSet() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (List<String> all : statements) {
            List<String> words = all;
            if (!words.isEmpty() && words.get(0).equals("EXPLAIN")) { // SQLite sets it when preparing
                boolean plan = words.size() > 2 && words.get(1).equals("QUERY") && words.get(2).equals("PLAN");
                words = words.subList(plan ? 3 : 1, words.size());
            }
            int at = words.size() > 2 && words.get(2).equals(".") ? 3 : 1;
            if (words.size() > at + 1 && words.get(0).equals("PRAGMA")
                    && (words.get(at + 1).equals("=") || words.get(at + 1).equals("("))) {
                String value = null;
                if (words.get(at + 1).equals("=") && words.size() > at + 2) {
                    value = words.get(at + 2).replace(QUOTED, "");
                    if (value.equals("-") && words.size() > at + 3) {
                        value = "-" + words.get(at + 3);
                    }
                }
                out.put(words.get(at).replace(QUOTED, ""), value);
            }
        }
        return out;
    }

    /** The pragma's name: the word before its argument, or the last word. */
    private static String pragmaName(List<String> words) {
        int open = words.indexOf("(");
        return words.get(open > 0 ? open - 1 : words.size() - 1);
    }

    /** The statement's keyword; for WITH, the keyword of the statement after the common table expressions. */
    private static String mainVerb(List<String> words) {
        if (words.isEmpty()) {
            return "";
        }
        if (!words.get(0).equals("WITH")) {
            return words.get(0);
        }
        // Words inside parentheses were dropped by the lexer, so the first statement keyword after WITH at
        // the top level is the main statement's.
        for (String w : words.subList(1, words.size())) {
            switch (w) {
                case "SELECT", "VALUES", "INSERT", "REPLACE", "UPDATE", "DELETE":
                    return w;
                default:
                    break;
            }
        }
        return "WITH";
    }

    /** Splits into statements of top-level upper-cased words and punctuation; counts parameters. */
    private static final class Lexer {
        private final String s;
        private int i;
        private int depth;
        private int triggerBlocks;
        private int nextParameter = 1;
        private int maxParameter;
        private final Map<String, Integer> named = new HashMap<>();
        private final List<List<String>> statements = new ArrayList<>();
        private List<String> current = new ArrayList<>();

        Lexer(String sql) {
            this.s = sql;
        }

        SqlText run() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '-' && peek(1) == '-') {
                    skipTo("\n", 2);
                } else if (c == '/' && peek(1) == '*') {
                    skipTo("*/", 2);
                } else if (c == '\'') {
                    skipQuoted(c);
                    word("\u0000string");
                } else if (c == '"' || c == '`') {
                    int start = i;
                    skipQuoted(c);
                    word(QUOTED + unquote(s.substring(start, i), c));
                } else if (c == '[') {
                    int start = i;
                    skipTo("]", 1);
                    word(QUOTED + s.substring(start + 1, Math.max(start + 1, i - 1)).toUpperCase(Locale.ROOT));
                } else if (c == '?') {
                    i++;
                    int start = i;
                    while (i < s.length() && Character.isDigit(s.charAt(i))) {
                        i++;
                    }
                    // SQLite allows at most 32766 parameters; a larger number is left for the server to refuse.
                    parameter(start == i ? nextParameter : (int) Math.min(MAX_PARAMETER, Long.parseLong(s.substring(start, Math.min(i, start + 12)))));
                } else if ((c == ':' || c == '@' || c == '$') && isIdentifierPart(peek(1))) {
                    int start = i;
                    i++;
                    while (i < s.length() && isIdentifierPart(s.charAt(i))) {
                        i++;
                    }
                    String name = s.substring(start, i);
                    Integer index = named.get(name);
                    if (index == null) {
                        index = nextParameter;
                        named.put(name, index);
                    }
                    parameter(index);
                } else if (isIdentifierStart(c)) {
                    int start = i;
                    while (i < s.length() && isIdentifierPart(s.charAt(i))) {
                        i++;
                    }
                    word(s.substring(start, i).toUpperCase(Locale.ROOT));
                } else {
                    punctuation(c);
                    i++;
                }
            }
            endStatement();
            return new SqlText(statements, maxParameter);
        }

        private void punctuation(char c) {
            if (c == '(') {
                word("(");
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (c == ';' && depth == 0 && triggerBlocks == 0) {
                endStatement();
            } else {
                word(String.valueOf(c));
            }
        }

        private void parameter(int index) {
            maxParameter = Math.max(maxParameter, index);
            nextParameter = maxParameter + 1;
        }

        private void word(String w) {
            if (depth != 0) {
                return;
            }
            current.add(w);
            // In CREATE TRIGGER ... BEGIN ...; ...; END a semicolon ends a statement of the body, not the
            // CREATE: count the BEGIN/CASE ... END blocks it is in.
            if (isTrigger()) {
                if (w.equals("BEGIN") || (w.equals("CASE") && triggerBlocks > 0)) {
                    triggerBlocks++;
                } else if (w.equals("END") && triggerBlocks > 0) {
                    triggerBlocks--;
                }
            }
        }

        private boolean isTrigger() {
            return current.size() > 1 && current.get(0).equals("CREATE")
                    && current.subList(1, Math.min(current.size(), 4)).contains("TRIGGER");
        }

        private void endStatement() {
            triggerBlocks = 0;
            if (!current.isEmpty()) {
                statements.add(current);
                current = new ArrayList<>();
            }
        }

        /** A quoted identifier's name: without its quotes, a doubled quote standing for one. */
        private static String unquote(String quoted, char quote) {
            String inner = quoted.length() >= 2 ? quoted.substring(1, quoted.length() - 1) : "";
            return inner.replace(String.valueOf(quote) + quote, String.valueOf(quote)).toUpperCase(Locale.ROOT);
        }

        private char peek(int ahead) {
            return i + ahead < s.length() ? s.charAt(i + ahead) : 0;
        }

        private void skipTo(String end, int openLength) {
            int at = s.indexOf(end, i + openLength);
            i = at < 0 ? s.length() : at + end.length();
        }

        /** A quoted string or identifier; a doubled quote inside stands for itself. */
        private void skipQuoted(char quote) {
            i++;
            while (i < s.length()) {
                if (s.charAt(i) == quote) {
                    if (peek(1) == quote) {
                        i += 2;
                        continue;
                    }
                    i++;
                    return;
                }
                i++;
            }
        }

        private static boolean isIdentifierStart(char c) {
            return Character.isLetter(c) || c == '_' || c > 0x7f;
        }

        private static boolean isIdentifierPart(char c) {
            return isIdentifierStart(c) || Character.isDigit(c) || c == '$';
        }
    }
}
