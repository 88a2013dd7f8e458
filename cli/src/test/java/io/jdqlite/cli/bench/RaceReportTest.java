package io.jdqlite.cli.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The race's report over several rounds: median round per figure, every round listed. */
class RaceReportTest {
    @TempDir
    Path tmp;

    @Test
    void eachFigureIsThatOfTheMedianRoundAndEveryRoundIsListed() throws Exception {
        writeRound("dqlite-kvwrite-1.r1.json", 300, 2.5);
        writeRound("dqlite-kvwrite-1.r2.json", 400, 2.0);
        writeRound("dqlite-kvwrite-1.r3.json", 200, 3.5);
        writeRound("jdqlite-kvwrite-1.r1.json", 330, 2.9);
        writeRound("jdqlite-kvwrite-1.r2.json", 310, 3.1);
        writeRound("jdqlite-kvwrite-1.r3.json", 600, 1.5);

        List<RaceReport.Row> rows = RaceReport.rows(tmp, List.of(1, 16));

        assertThat(rows).hasSize(1);
        RaceReport.Row r = rows.get(0);
        assertThat(r.c().okPerSecond()).isEqualTo(300);
        assertThat(r.c().p50()).as("figures of the median round, not mixed across rounds").isEqualTo(2.5);
        assertThat(r.j().okPerSecond()).isEqualTo(330);
        assertThat(r.ratio()).isEqualTo(1.1, org.assertj.core.data.Offset.offset(1e-9));
        String table = RaceReport.markdown(rows);
        assertThat(table).contains("| kvwrite | 1 | write | 300.0 | 330.0 | 1.10× |")
                .contains("median ok/s of 3 rounds")
                .contains("| kvwrite | 1 | write | 300.0, 400.0, 200.0 | 330.0, 310.0, 600.0 |");
    }

    @Test
    void aSingleRoundRaceHasNoRoundsTable() throws Exception {
        writeRound("dqlite-kvwrite-1.json", 300, 2.5);
        writeRound("jdqlite-kvwrite-1.json", 150, 3.0);

        List<RaceReport.Row> rows = RaceReport.rows(tmp, List.of(1));

        assertThat(rows).hasSize(1);
        assertThat(RaceReport.markdown(rows)).contains("| 300.0 | 150.0 | 0.50× |").doesNotContain("per round");
    }

    @Test
    void anEvenNumberOfRoundsTakesTheLowerMiddleOne() throws Exception {
        writeRound("dqlite-kvwrite-1.r1.json", 100, 1);
        writeRound("dqlite-kvwrite-1.r2.json", 400, 1);
        writeRound("dqlite-kvwrite-1.r3.json", 300, 1);
        writeRound("dqlite-kvwrite-1.r4.json", 200, 1);
        writeRound("jdqlite-kvwrite-1.r1.json", 100, 1);

        RaceReport.Row r = RaceReport.rows(tmp, List.of(1)).get(0);

        assertThat(r.c().okPerSecond()).isEqualTo(200);
        assertThat(r.cRounds()).hasSize(4);
        assertThat(r.jRounds()).hasSize(1);
    }

    @Test
    void pointsWithoutAnyOkOperationGiveNoRatioAndAValidChart() throws Exception {
        Files.writeString(tmp.resolve("dqlite-kvwrite-1.json"), "{\"kinds\": {\"write\": {\"ok\": 0, \"errors\": 12, "
                + "\"okPerSecond\": 0.00, \"p50Ms\": 0.000, \"p90Ms\": 0.000, \"p99Ms\": 0.000}}}");
        Files.writeString(tmp.resolve("jdqlite-kvwrite-1.json"), "{\"error\": \"refused\", \"kinds\": {}}");

        List<RaceReport.Row> rows = RaceReport.rows(tmp, List.of(1));

        assertThat(rows).hasSize(1);
        assertThat(RaceReport.markdown(rows)).contains("| kvwrite | 1 | write | 0.0 | 0.0 | n/a | 12 | 0 |")
                .doesNotContain("Infinity").doesNotContain("NaN");
        assertThat(RaceReport.svg(rows)).doesNotContain("NaN").doesNotContain("Infinity");
    }

    private void writeRound(String name, double okPerSecond, double p50) throws Exception {
        Files.writeString(tmp.resolve(name), String.format(Locale.ROOT,
                "{\"kinds\": {\"write\": {\"ok\": %d, \"errors\": 0, \"okPerSecond\": %.1f, \"p50Ms\": %.2f, "
                        + "\"p90Ms\": 9.00, \"p99Ms\": 12.00}}}", (long) okPerSecond * 15, okPerSecond, p50));
    }
}
