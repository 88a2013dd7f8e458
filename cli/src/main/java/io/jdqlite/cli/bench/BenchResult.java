package io.jdqlite.cli.bench;

import java.util.Locale;
import java.util.Map;

/** The outcome of one run, as printed and as written to JSON. */
public record BenchResult(String target, Workload workload, int workers, double seconds, int keySize, int valueSize,
                          Map<Kind, KindStats> kinds) {

    public long ok(String kind) {
        return kinds.get(Kind.valueOf(kind)).ok;
    }

    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-6s %10s %10s %10s %9s %9s %9s %9s %9s%n",
                "kind", "ok", "errors", "ok/s", "p50 ms", "p90 ms", "p99 ms", "p999 ms", "max ms"));
        for (Map.Entry<Kind, KindStats> e : kinds.entrySet()) {
            KindStats s = e.getValue();
            if (s.ok + s.errors == 0) {
                continue;
            }
            b.append(String.format(Locale.ROOT, "%-6s %10d %10d %10.1f %9.2f %9.2f %9.2f %9.2f %9.2f%n",
                    e.getKey().name().toLowerCase(Locale.ROOT), s.ok, s.errors, s.ok / seconds,
                    s.percentileMillis(50), s.percentileMillis(90), s.percentileMillis(99), s.percentileMillis(99.9),
                    s.latencyMicros.getMaxValue() / 1000.0));
        }
        for (Map.Entry<Kind, KindStats> e : kinds.entrySet()) {
            e.getValue().errorCauses.byCount().forEach((cause, n) -> b.append(String.format(Locale.ROOT,
                    "%-6s %10d errors: %s%n", e.getKey().name().toLowerCase(Locale.ROOT), n, cause)));
        }
        return b.toString();
    }

    /** The JSON of a run that could not start: its settings, the error and no figures. */
    public static String failure(String target, Workload workload, int workers, int keySize, int valueSize, String error) {
        return "{\n  \"target\": " + quote(target) + ",\n  \"workload\": \"" + workload.label() + "\",\n  \"workers\": "
                + workers + ",\n  \"seconds\": 0,\n  \"keySize\": " + keySize + ",\n  \"valueSize\": " + valueSize
                + ",\n  \"error\": " + quote(String.valueOf(error)) + ",\n  \"kinds\": {}\n}\n";
    }

    static String quote(String s) {
        return io.jdqlite.cli.JsonText.quote(s);
    }

    private static String causesJson(ErrorCauses causes) {
        StringBuilder b = new StringBuilder();
        causes.byCount().forEach((cause, n) -> b.append(b.length() == 0 ? "" : ", ").append(quote(cause)).append(": ").append(n));
        return b.toString();
    }

    public String json() {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"target\": ").append(quote(target)).append(",\n");
        b.append("  \"workload\": \"").append(workload.label()).append("\",\n");
        b.append("  \"workers\": ").append(workers).append(",\n");
        b.append(String.format(Locale.ROOT, "  \"seconds\": %.3f,%n", seconds));
        b.append("  \"keySize\": ").append(keySize).append(",\n");
        b.append("  \"valueSize\": ").append(valueSize).append(",\n");
        b.append("  \"kinds\": {");
        String sep = "\n";
        for (Map.Entry<Kind, KindStats> e : kinds.entrySet()) {
            KindStats s = e.getValue();
            b.append(sep).append(String.format(Locale.ROOT,
                    "    \"%s\": {\"ok\": %d, \"errors\": %d, \"okPerSecond\": %.2f, \"p50Ms\": %.3f, \"p90Ms\": %.3f, "
                            + "\"p99Ms\": %.3f, \"p999Ms\": %.3f, \"maxMs\": %.3f, \"errorCauses\": {%s}}",
                    e.getKey().name().toLowerCase(Locale.ROOT), s.ok, s.errors, s.ok / seconds, s.percentileMillis(50),
                    s.percentileMillis(90), s.percentileMillis(99), s.percentileMillis(99.9),
                    s.latencyMicros.getMaxValue() / 1000.0, causesJson(s.errorCauses)));
            sep = ",\n";
        }
        b.append("\n  }\n}\n");
        return b.toString();
    }
}
