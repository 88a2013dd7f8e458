package io.jdqlite.cli;

import io.jdqlite.cli.bench.RaceReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jdqlite race-report}: the table and chart of a {@code bench/race} run. */
@Command(name = "race-report", mixinStandardHelpOptions = true,
        description = "Writes the markdown table and SVG chart comparing C dqlite and jdqlite from bench/race's JSON files.")
final class RaceReportCommand implements Callable<Integer> {
    @Option(names = "--results", required = true, description = "Directory of <impl>-<workload>-<workers>.json files (or .r<k>.json, one per round).")
    Path results;

    @Option(names = "--workers", split = ",", defaultValue = "1,16,64", description = "Worker counts (default: ${DEFAULT-VALUE}).")
    List<Integer> workers;

    @Option(names = "--table", required = true, description = "Markdown file to write the table to.")
    Path table;

    @Option(names = "--svg", required = true, description = "SVG chart to write.")
    Path svg;

    @Override
    public Integer call() throws Exception {
        List<RaceReport.Row> rows = RaceReport.rows(results, workers);
        if (rows.isEmpty()) {
            System.err.println("jdqlite race-report: no result pairs in " + results);
            return 2;
        }
        Files.writeString(table, RaceReport.markdown(rows));
        Files.writeString(svg, RaceReport.svg(rows));
        System.out.print(RaceReport.markdown(rows));
        return 0;
    }
}
