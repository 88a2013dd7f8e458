package io.jdqlite.cli.shell;

import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** How the shell prints a result: aligned table, JSON array of objects, or CSV. */
public enum OutputFormat {
    TABLE, JSON, CSV;

    public static OutputFormat parse(String s) {
        String name = s.trim().toUpperCase(Locale.ROOT);
        if (name.equals("TABULAR")) {
            return TABLE; // the go-dqlite shell's name for it
        }
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + s + "' (table, json or csv)");
        }
    }

    String render(List<String> columns, List<List<Object>> rows) {
        return switch (this) {
            case TABLE -> table(columns, rows);
            case JSON -> json(columns, rows);
            case CSV -> csv(columns, rows);
        };
    }

    static String text(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof byte[] b) {
            return "X'" + HexFormat.of().formatHex(b) + "'";
        }
        return v.toString();
    }

    private static String table(List<String> columns, List<List<Object>> rows) {
        int[] w = new int[columns.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = columns.get(i).length();
            for (List<Object> r : rows) {
                w[i] = Math.max(w[i], text(r.get(i)).length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, columns.stream().map(c -> (Object) c).toList(), w);
        for (int i = 0; i < w.length; i++) {
            b.append(i == 0 ? "" : "-+-").append("-".repeat(w[i]));
        }
        b.append('\n');
        for (List<Object> r : rows) {
            line(b, r, w);
        }
        b.append('(').append(rows.size()).append(rows.size() == 1 ? " row)\n" : " rows)\n");
        return b.toString();
    }

    private static void line(StringBuilder b, List<Object> values, int[] w) {
        for (int i = 0; i < w.length; i++) {
            String t = text(values.get(i));
            b.append(i == 0 ? "" : " | ").append(t).append(" ".repeat(w[i] - t.length()));
        }
        b.append('\n');
    }

    private static String json(List<String> columns, List<List<Object>> rows) {
        StringBuilder b = new StringBuilder("[");
        for (int r = 0; r < rows.size(); r++) {
            b.append(r == 0 ? "\n  {" : ",\n  {");
            for (int i = 0; i < columns.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(quote(columns.get(i))).append(": ");
                Object v = rows.get(r).get(i);
                if (v == null) {
                    b.append("null");
                } else if (v instanceof Number || v instanceof Boolean) {
                    b.append(v);
                } else if (v instanceof byte[] bytes) {
                    b.append(quote(HexFormat.of().formatHex(bytes)));
                } else {
                    b.append(quote(v.toString()));
                }
            }
            b.append('}');
        }
        return b.append(rows.isEmpty() ? "]\n" : "\n]\n").toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String csv(List<String> columns, List<List<Object>> rows) {
        StringBuilder b = new StringBuilder();
        b.append(String.join(",", columns.stream().map(OutputFormat::csvField).toList())).append('\n');
        for (List<Object> r : rows) {
            b.append(String.join(",", r.stream().map(v -> v == null ? "" : csvField(text(v))).toList())).append('\n');
        }
        return b.toString();
    }

    private static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
