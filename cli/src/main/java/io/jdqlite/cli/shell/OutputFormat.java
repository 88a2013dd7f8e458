package io.jdqlite.cli.shell;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * How the shell prints a result: aligned table, JSON array of objects, or CSV (RFC 4180). Rows are printed
 * as they arrive, so a long result neither fills the memory nor stalls: CSV and JSON row by row, the table
 * once its first {@value #TABLE_SAMPLE} rows fixed the column widths.
 */
public enum OutputFormat {
    TABLE, JSON, CSV;

    /** Rows a table collects to size its columns before printing. */
    static final int TABLE_SAMPLE = 1000;

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

    /** Prints one result's rows as they are given. */
    interface Printer {
        void row(List<Object> values);

        /** Ends the result (a table's row count, JSON's closing bracket). */
        void finish();
    }

    Printer printer(PrintStream out, List<String> columns) {
        return switch (this) {
            case TABLE -> new TablePrinter(out, columns);
            case JSON -> new JsonPrinter(out, columns);
            case CSV -> new CsvPrinter(out, columns);
        };
    }

    String render(List<String> columns, List<List<Object>> rows) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        PrintStream p = new PrintStream(b, false, java.nio.charset.StandardCharsets.UTF_8);
        Printer printer = printer(p, columns);
        rows.forEach(printer::row);
        printer.finish();
        p.flush();
        return b.toString(java.nio.charset.StandardCharsets.UTF_8);
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

    private static final class TablePrinter implements Printer {
        private final PrintStream out;
        private final List<String> columns;
        private List<List<Object>> sample = new ArrayList<>();
        private int[] w;
        private long count;

        TablePrinter(PrintStream out, List<String> columns) {
            this.out = out;
            this.columns = columns;
        }

        @Override
        public void row(List<Object> values) {
            count++;
            if (w != null) {
                line(values);
                return;
            }
            sample.add(values);
            if (sample.size() >= TABLE_SAMPLE) {
                head();
            }
        }

        private void head() {
            w = new int[columns.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = columns.get(i).length();
                for (List<Object> r : sample) {
                    for (String l : cellLines(r.get(i))) {
                        w[i] = Math.max(w[i], l.length());
                    }
                }
            }
            line(new ArrayList<>(columns));
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < w.length; i++) {
                b.append(i == 0 ? "" : "-+-").append("-".repeat(w[i]));
            }
            out.println(b);
            sample.forEach(this::line);
            sample = null;
        }

        /** One row; a value with line breaks takes as many lines, the other cells of the row left blank. */
        private void line(List<Object> values) {
            String[][] cells = new String[w.length][];
            int height = 1;
            for (int i = 0; i < w.length; i++) {
                cells[i] = cellLines(values.get(i));
                height = Math.max(height, cells[i].length);
            }
            for (int row = 0; row < height; row++) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < w.length; i++) {
                    String t = row < cells[i].length ? cells[i][row] : "";
                    b.append(i == 0 ? "" : " | ").append(t).append(" ".repeat(Math.max(0, w[i] - t.length())));
                }
                out.println(b);
            }
        }

        /** A value's text split at its line breaks, tabs as spaces: the table's columns stay aligned. */
        private static String[] cellLines(Object value) {
            return text(value).replace('\t', ' ').split("\r\n|\n|\r", -1);
        }

        @Override
        public void finish() {
            if (w == null) {
                head();
            }
            out.println("(" + count + (count == 1 ? " row)" : " rows)"));
        }
    }

    private static final class JsonPrinter implements Printer {
        private final PrintStream out;
        private final List<String> columns;
        private long count;

        JsonPrinter(PrintStream out, List<String> columns) {
            this.out = out;
            this.columns = columns;
        }

        @Override
        public void row(List<Object> values) {
            StringBuilder b = new StringBuilder(count++ == 0 ? "[\n  {" : ",\n  {");
            for (int i = 0; i < columns.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(quote(columns.get(i))).append(": ");
                Object v = values.get(i);
                if (v == null) {
                    b.append("null");
                } else if (v instanceof Double d && d.isNaN()) {
                    b.append("null");
                } else if (v instanceof Double d && d.isInfinite()) {
                    b.append(d > 0 ? "1e999" : "-1e999"); // valid JSON; parsers read it as infinity
                } else if (v instanceof Number || v instanceof Boolean) {
                    b.append(v);
                } else if (v instanceof byte[] bytes) {
                    b.append(quote(HexFormat.of().formatHex(bytes)));
                } else {
                    b.append(quote(v.toString()));
                }
            }
            out.print(b.append('}'));
        }

        @Override
        public void finish() {
            out.print(count == 0 ? "[]\n" : "\n]\n");
        }
    }

    static String quote(String s) {
        return io.jdqlite.cli.JsonText.quote(s);
    }

    private static final class CsvPrinter implements Printer {
        private final PrintStream out;

        CsvPrinter(PrintStream out, List<String> columns) {
            this.out = out;
            out.print(String.join(",", columns.stream().map(OutputFormat::csvField).toList()) + "\n");
        }

        @Override
        public void row(List<Object> values) {
            out.print(String.join(",", values.stream().map(v -> v == null ? "" : csvField(text(v))).toList()) + "\n");
        }

        @Override
        public void finish() {
        }
    }

    static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
