package io.jdqlite.cli;

import io.jdqlite.cli.bench.BenchResult;
import io.jdqlite.cli.bench.Benchmark;
import io.jdqlite.cli.bench.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jdqlite bench}: dqlite-benchmark's workloads against any dqlite-protocol cluster (ours or C dqlite). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs the kvwrite or kvreadwrite workload (as dqlite-benchmark) and reports ok ops/s, errors and latency percentiles.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = {"-c", "--cluster"}, required = true, split = ",", description = "Node addresses host:port (any or all).")
    List<String> cluster;

    @Option(names = {"-w", "--workload"}, defaultValue = "kvwrite", description = "kvwrite or kvreadwrite (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = {"-n", "--workers"}, defaultValue = "1", description = "Concurrent workers, one connection each (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = {"-d", "--duration"}, defaultValue = "15s", description = "Run time, e.g. 15s or 2m (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--key-size", defaultValue = "32", description = "Key size in bytes (default: ${DEFAULT-VALUE}).")
    int keySize;

    @Option(names = "--value-size", defaultValue = "1024", description = "Value size in bytes (default: ${DEFAULT-VALUE}).")
    int valueSize;

    @Option(names = "--db", defaultValue = "bench", description = "Database name (default: ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--warmup", defaultValue = "0s", description = "Run the workload this long first without recording it, e.g. 10s (default: ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--connect-timeout", defaultValue = "10s", description = "How long to look for the cluster's leader before giving up (default: ${DEFAULT-VALUE}).")
    String connectTimeout;

    @Option(names = "--json", description = "Also write the result as JSON to this file.")
    Path json;

    @Override
    public Integer call() throws Exception {
        Benchmark b;
        try {
            b = new Benchmark(cluster, database, Workload.parse(workload), workers, parseDuration("--duration", duration),
                    keySize, valueSize, parseDuration("--warmup", warmup))
                    .connectTimeout(parseDuration("--connect-timeout", connectTimeout));
        } catch (IllegalArgumentException e) {
            System.err.println("jdqlite bench: " + e.getMessage());
            return 2;
        }
        BenchResult r;
        try {
            r = b.run(System.err);
        } catch (io.jdqlite.client.DqliteException e) {
            System.err.println("jdqlite bench: cannot start on " + String.join(",", cluster) + " (leader searched for "
                    + connectTimeout + "): " + e.getMessage());
            if (json != null) {
                writeJson(BenchResult.failure(String.join(",", cluster), Workload.parse(workload), workers, keySize,
                        valueSize, e.getMessage()));
            }
            return 1;
        }
        System.out.print(r.table());
        if (json != null) {
            writeJson(r.json());
        }
        return 0;
    }

    private void writeJson(String text) throws java.io.IOException {
        if (json.getParent() != null) {
            Files.createDirectories(json.getParent());
        }
        Files.writeString(json, text);
    }

    static Duration parseDuration(String option, String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + " must look like 15s, 500ms or 2m, got '" + s + "'");
        }
    }
}
