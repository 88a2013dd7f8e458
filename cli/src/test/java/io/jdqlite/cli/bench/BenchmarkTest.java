package io.jdqlite.cli.bench;

import io.jdqlite.node.gateway.InProcessCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The benchmark against a 3-node cluster in this JVM (ports 23900-23999). */
class BenchmarkTest {
    @TempDir
    Path tmp;

    @Test
    void kvreadwriteWithFourWorkersReportsOkOperationsOfBothKindsAndWritesJson() throws Exception {
        try (InProcessCluster c = new InProcessCluster(tmp, 3, 23900)) {
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            BenchResult r = new Benchmark(c.addresses(), "bench", Workload.KVREADWRITE, 4, Duration.ofSeconds(2), 32, 1024)
                    .run(new PrintStream(progress, true));
            assertThat(r.ok("WRITE")).isPositive();
            assertThat(r.ok("READ")).isPositive();
            assertThat(r.kinds().get(Kind.WRITE).errors).isZero();
            assertThat(r.kinds().get(Kind.WRITE).percentileMillis(99)).isPositive();
            assertThat(progress.toString()).contains("kvreadwrite 4 workers").contains("ok");
            assertThat(r.table()).contains("write").contains("read").contains("p99 ms");
            Path json = tmp.resolve("jdqlite-kvreadwrite-4.json");
            Files.writeString(json, r.json());
            RaceReport.Figures f = RaceReport.read(json, "write");
            assertThat(f.ok()).isEqualTo(r.ok("WRITE"));
            Files.writeString(tmp.resolve("dqlite-kvreadwrite-4.json"), r.json());
            List<RaceReport.Row> rows = RaceReport.rows(tmp, List.of(4));
            assertThat(rows).hasSize(2);
            assertThat(RaceReport.markdown(rows)).contains("| kvreadwrite | 4 | write |").contains("1.00×");
            assertThat(RaceReport.svg(rows)).startsWith("<svg").contains("<rect");
        }
    }

    @Test
    void aWarmUpRunsTheWorkloadFirstAndIsNotRecorded() throws Exception {
        try (InProcessCluster c = new InProcessCluster(tmp, 3, 23920)) {
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            BenchResult r = new Benchmark(c.addresses(), "warm", Workload.KVWRITE, 2, Duration.ofSeconds(1), 32, 64,
                    Duration.ofSeconds(2)).run(new PrintStream(progress, true));
            assertThat(progress.toString()).contains("warm-up kvwrite 2 workers");
            assertThat(r.seconds()).as("the warm-up's time is not in the result").isLessThan(2.9);
            long rows;
            try (io.jdqlite.client.DqliteClient client = io.jdqlite.client.DqliteClient.create(
                    io.jdqlite.client.ClientConfig.builder().addresses(c.addresses()).build());
                 io.jdqlite.client.DqliteConnection conn = client.open("warm");
                 io.jdqlite.client.Rows q = conn.query("SELECT count(*) FROM model")) {
                assertThat(q.next()).isTrue();
                rows = (Long) q.get(0);
            }
            assertThat(rows).as("the warm-up wrote rows that the result does not count").isGreaterThan(r.ok("WRITE"));
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new Benchmark(List.of("127.0.0.1:1"), "b", Workload.KVWRITE, 0, Duration.ofSeconds(1), 32, 1024))
                .hasMessageContaining("--workers");
        assertThatThrownBy(() -> Workload.parse("kvdelete")).hasMessageContaining("kvwrite or kvreadwrite");
        assertThatThrownBy(() -> new Benchmark(List.of("127.0.0.1:1"), "b", Workload.KVWRITE, 1, Duration.ofSeconds(1), 32, 1024,
                Duration.ofSeconds(-1))).hasMessageContaining("--warmup");
        assertThatThrownBy(() -> new Benchmark(List.of("127.0.0.1:1"), "b", Workload.KVWRITE, 1, Duration.ZERO, 32, 1024))
                .hasMessageContaining("--duration");
    }
}
