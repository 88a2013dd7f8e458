package io.jdqlite.cli.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SQL text as SQLite's tokenizer sees it, for the shell: where statements end (SQLite's
 * {@code sqlite3_complete()} state machine, so ';' in strings, quoted names, comments and inside a
 * CREATE TRIGGER's BEGIN ... END do not end one), splitting an input into its statements, and the
 * keywords that tell whether a statement returns rows.
 */
final class SqlText {
    private SqlText() {
    }

    private static final int SEMI = 0, WS = 1, OTHER = 2, EXPLAIN = 3, CREATE = 4, TEMP = 5, TRIGGER = 6, END = 7;

    /** sqlite3_complete()'s transitions: [state][token]; state 1 is "at the start of a statement". */
    private static final int[][] TRANS = {
            /* 0 INVALID */ {1, 0, 2, 3, 4, 2, 2, 2},
            /* 1 START   */ {1, 1, 2, 3, 4, 2, 2, 2},
            /* 2 NORMAL  */ {1, 2, 2, 2, 2, 2, 2, 2},
            /* 3 EXPLAIN */ {1, 3, 3, 2, 4, 2, 2, 2},
            /* 4 CREATE  */ {1, 4, 2, 2, 2, 4, 5, 2},
            /* 5 TRIGGER */ {6, 5, 5, 5, 5, 5, 5, 5},
            /* 6 SEMI    */ {6, 6, 5, 5, 5, 5, 5, 7},
            /* 7 END     */ {1, 7, 5, 5, 5, 5, 5, 5},
    };

    /** One token: its kind, where it ends, its text for words (upper case), and whether it is unterminated. */
    private record Token(int kind, int end, String word, boolean unterminated) {
    }

    private static Token next(String s, int i) {
        char c = s.charAt(i);
        int n = s.length();
        switch (c) {
            case ';':
                return new Token(SEMI, i + 1, null, false);
            case '/':
                if (i + 1 < n && s.charAt(i + 1) == '*') {
                    int close = s.indexOf("*/", i + 2);
                    return close < 0 ? new Token(WS, n, null, true) : new Token(WS, close + 2, null, false);
                }
                return new Token(OTHER, i + 1, null, false);
            case '-':
                if (i + 1 < n && s.charAt(i + 1) == '-') {
                    int nl = s.indexOf('\n', i + 2);
                    return new Token(WS, nl < 0 ? n : nl + 1, null, false);
                }
                return new Token(OTHER, i + 1, null, false);
            case '[': {
                int close = s.indexOf(']', i + 1);
                return close < 0 ? new Token(OTHER, n, null, true) : new Token(OTHER, close + 1, null, false);
            }
            case '\'', '"', '`': {
                int close = s.indexOf(c, i + 1);
                return close < 0 ? new Token(OTHER, n, null, true) : new Token(OTHER, close + 1, null, false);
            }
            default:
                if (Character.isWhitespace(c)) {
                    return new Token(WS, i + 1, null, false);
                }
                if (isIdChar(c)) {
                    int j = i;
                    while (j < n && isIdChar(s.charAt(j))) {
                        j++;
                    }
                    String word = s.substring(i, j).toUpperCase(Locale.ROOT);
                    int kind = switch (word) {
                        case "CREATE" -> CREATE;
                        case "TRIGGER" -> TRIGGER;
                        case "TEMP", "TEMPORARY" -> TEMP;
                        case "END" -> END;
                        case "EXPLAIN" -> EXPLAIN;
                        default -> OTHER;
                    };
                    return new Token(kind, j, word, false);
                }
                return new Token(OTHER, i + 1, null, false);
        }
    }

    private static boolean isIdChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7f;
    }

    /** True when {@code sql} ends with a complete statement (as sqlite3_complete()). */
    static boolean complete(String sql) {
        int state = 0;
        for (int i = 0; i < sql.length(); ) {
            Token t = next(sql, i);
            if (t.unterminated()) {
                return false;
            }
            state = TRANS[state][t.kind()];
            i = t.end();
        }
        return state == 1;
    }

    /** True when {@code sql} holds nothing but whitespace, comments and semicolons. */
    static boolean isBlank(String sql) {
        for (int i = 0; i < sql.length(); ) {
            Token t = next(sql, i);
            if (t.unterminated() || (t.kind() != WS && t.kind() != SEMI)) {
                return false;
            }
            i = t.end();
        }
        return true;
    }

    /**
     * The statements of {@code sql}, each without its ending ';', trimmed; empty statements (only
     * whitespace and comments) are left out; a last statement without ';' is kept.
     */
    static List<String> split(String sql) {
        List<String> statements = new ArrayList<>();
        int state = 0;
        int start = 0;
        for (int i = 0; i < sql.length(); ) {
            Token t = next(sql, i);
            state = TRANS[state][t.kind()];
            i = t.end();
            if (t.kind() == SEMI && state == 1) {
                add(statements, sql.substring(start, i - 1));
                start = i;
            }
        }
        add(statements, sql.substring(start));
        return statements;
    }

    private static void add(List<String> statements, String s) {
        if (!isBlank(s)) {
            statements.add(s.trim());
        }
    }

    /**
     * True when the statement changes rows (INSERT, REPLACE, UPDATE, DELETE), so that its count of changed rows
     * and last rowid are its own: SQLite keeps the last such statement's figures across others, so a CREATE
     * or a COMMIT after an INSERT would report the INSERT's. (A WITH goes as a query, see {@link #returnsRows}.)
     */
    static boolean changesRows(String sql) {
        for (int i = 0; i < sql.length(); ) {
            Token t = next(sql, i);
            i = t.end();
            if (t.kind() == WS || (t.word() == null && sql.charAt(t.end() - 1) == '(')) {
                continue;
            }
            return t.word() != null && switch (t.word()) {
                case "INSERT", "REPLACE", "UPDATE", "DELETE" -> true;
                default -> false;
            };
        }
        return false;
    }

    /**
     * True when the statement returns rows: it starts (after comments and parentheses) with SELECT, WITH,
     * VALUES, PRAGMA or EXPLAIN, or has a RETURNING clause.
     */
    static boolean returnsRows(String sql) {
        boolean first = true;
        for (int i = 0; i < sql.length(); ) {
            Token t = next(sql, i);
            i = t.end();
            if (t.kind() == WS || (first && t.word() == null && sql.charAt(t.end() - 1) == '(')) {
                continue;
            }
            if (first) {
                first = false;
                if (t.word() != null && switch (t.word()) {
                    case "SELECT", "WITH", "VALUES", "PRAGMA", "EXPLAIN" -> true;
                    default -> false;
                }) {
                    return true;
                }
            } else if ("RETURNING".equals(t.word())) {
                return true;
            }
        }
        return false;
    }
}
