package io.jdqlite.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the JSON files of a race ({@code <impl>-<workload>-<workers>.json} for one round, or
 * {@code <impl>-<workload>-<workers>.r<k>.json} for round k; impl = dqlite or jdqlite) into a markdown table
 * (both figures and their ratio) and an SVG bar chart. With several rounds each figure is that of the round
 * with the median ok/s (the machine's noise moves single runs by tens of percent), and a second table lists
 * every round's ok/s.
 */
public final class RaceReport {
    private static final Pattern KIND = Pattern.compile(
            "\"(write|read)\": \\{\"ok\": (\\d+), \"errors\": (\\d+), \"okPerSecond\": ([0-9.]+), \"p50Ms\": ([0-9.]+), "
                    + "\"p90Ms\": [0-9.]+, \"p99Ms\": ([0-9.]+)");

    public record Figures(long ok, long errors, double okPerSecond, double p50, double p99) {
    }

    /** {@code c} and {@code j}: the median rounds; {@code cRounds} and {@code jRounds}: every round, in order. */
    public record Row(String workload, int workers, String kind, Figures c, Figures j,
                      List<Figures> cRounds, List<Figures> jRounds) {
        /** jdqlite's ok/s over C dqlite's; NaN when C dqlite had none (no meaningful ratio). */
        double ratio() {
            return c.okPerSecond() == 0 ? Double.NaN : j.okPerSecond() / c.okPerSecond();
        }

        String ratioText() {
            double r = ratio();
            return Double.isNaN(r) ? "n/a" : String.format(Locale.ROOT, "%.2f×", r);
        }
    }

    private RaceReport() {
    }

    static Figures read(Path file, String kind) throws IOException {
        Matcher m = KIND.matcher(Files.readString(file));
        while (m.find()) {
            if (m.group(1).equals(kind)) {
                return new Figures(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Double.parseDouble(m.group(4)),
                        Double.parseDouble(m.group(5)), Double.parseDouble(m.group(6)));
            }
        }
        return new Figures(0, 0, 0, 0, 0);
    }

    public static List<Row> rows(Path dir, List<Integer> workerCounts) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Workload w : Workload.values()) {
            for (int n : workerCounts) {
                List<Path> c = roundFiles(dir, "dqlite-" + w.label() + "-" + n);
                List<Path> j = roundFiles(dir, "jdqlite-" + w.label() + "-" + n);
                if (c.isEmpty() || j.isEmpty()) {
                    continue;
                }
                rows.add(row(w.label(), n, "write", c, j));
                if (w == Workload.KVREADWRITE) {
                    rows.add(row(w.label(), n, "read", c, j));
                }
            }
        }
        return rows;
    }

    private static Row row(String workload, int workers, String kind, List<Path> c, List<Path> j) throws IOException {
        List<Figures> cRounds = new ArrayList<>();
        for (Path p : c) {
            cRounds.add(read(p, kind));
        }
        List<Figures> jRounds = new ArrayList<>();
        for (Path p : j) {
            jRounds.add(read(p, kind));
        }
        return new Row(workload, workers, kind, median(cRounds), median(jRounds), cRounds, jRounds);
    }

    /** {@code <base>.json}, or {@code <base>.r1.json}, {@code <base>.r2.json}, ... while they exist. */
    static List<Path> roundFiles(Path dir, String base) {
        Path single = dir.resolve(base + ".json");
        if (Files.exists(single)) {
            return List.of(single);
        }
        List<Path> rounds = new ArrayList<>();
        for (int k = 1; Files.exists(dir.resolve(base + ".r" + k + ".json")); k++) {
            rounds.add(dir.resolve(base + ".r" + k + ".json"));
        }
        return rounds;
    }

    /** The round with the median ok/s (the lower middle one of an even count). */
    static Figures median(List<Figures> rounds) {
        List<Figures> sorted = new ArrayList<>(rounds);
        sorted.sort(java.util.Comparator.comparingDouble(Figures::okPerSecond));
        return sorted.get((sorted.size() - 1) / 2);
    }

    public static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| workload | workers | kind | C dqlite ok/s | jdqlite ok/s | ratio | C errors | jdqlite errors "
                + "| C p50 ms | jdqlite p50 ms | C p99 ms | jdqlite p99 ms |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %.1f | %.1f | %s | %d | %d | %.2f | %.2f | %.2f | %.2f |%n",
                    r.workload(), r.workers(), r.kind(), r.c().okPerSecond(), r.j().okPerSecond(), r.ratioText(),
                    r.c().errors(), r.j().errors(), r.c().p50(), r.j().p50(), r.c().p99(), r.j().p99()));
        }
        int rounds = rows.stream().mapToInt(r -> Math.max(r.cRounds().size(), r.jRounds().size())).max().orElse(1);
        if (rounds > 1) {
            b.append(String.format(Locale.ROOT, "%nEach figure above is that of the round with the median ok/s of %d rounds "
                    + "(C dqlite and jdqlite take turns within a round). ok/s of every round:%n%n", rounds));
            b.append("| workload | workers | kind | C dqlite ok/s per round | jdqlite ok/s per round |\n");
            b.append("|---|---|---|---|---|\n");
            for (Row r : rows) {
                b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s |%n", r.workload(), r.workers(), r.kind(),
                        perRound(r.cRounds()), perRound(r.jRounds())));
            }
        }
        return b.toString();
    }

    private static String perRound(List<Figures> rounds) {
        return String.join(", ", rounds.stream().map(f -> String.format(Locale.ROOT, "%.1f", f.okPerSecond())).toList());
    }

    /** Grouped bars of ok ops/s per row (log scale would hide the gaps; linear per row group). */
    public static String svg(List<Row> rows) {
        int barW = 22;
        int gap = 26;
        int groupW = 2 * barW + gap;
        int height = 320;
        int top = 30;
        int plotH = 200;
        int width = Math.max(400, 60 + rows.size() * groupW);
        double highest = rows.stream().mapToDouble(r -> Math.max(r.c().okPerSecond(), r.j().okPerSecond())).max().orElse(0);
        double max = highest > 0 ? highest : 1; // no ok operation anywhere: empty bars, not NaN
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"10\">%n", width, height));
        s.append("<text x=\"10\" y=\"16\" font-size=\"13\">ok ops/s: C dqlite (grey) vs jdqlite (blue)</text>\n");
        int x = 50;
        for (Row r : rows) {
            double hc = plotH * r.c().okPerSecond() / max;
            double hj = plotH * r.j().okPerSecond() / max;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#999\"/>%n",
                    x, top + plotH - hc, barW, hc));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#2a6fdb\"/>%n",
                    x + barW, top + plotH - hj, barW, hj));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%.0f</text>%n", x, top + plotH - (int) hc - 3,
                    r.c().okPerSecond()));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%.0f</text>%n", x + barW, top + plotH - (int) hj - 14,
                    r.j().okPerSecond()));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x, top + plotH + 14,
                    r.workload().replace("kv", "")));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s×%d</text>%n", x, top + plotH + 28,
                    r.kind(), r.workers()));
            x += groupW;
        }
        s.append(String.format(Locale.ROOT, "<line x1=\"45\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>%n",
                top + plotH, width - 10, top + plotH));
        s.append("</svg>\n");
        return s.toString();
    }
}
