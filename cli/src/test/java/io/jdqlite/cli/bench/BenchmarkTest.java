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
    void aReadThatFindsNoRowIsAnErrorAsInGoDqlite() throws Exception {
        try (InProcessCluster c = new InProcessCluster(tmp, 3, 26800);
             io.jdqlite.client.DqliteClient client = io.jdqlite.client.DqliteClient.create(
                     io.jdqlite.client.ClientConfig.builder().addresses(c.addresses()).build())) {
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread deleter = new Thread(() -> {
                try (io.jdqlite.client.DqliteConnection conn = client.open("gone")) {
                    conn.exec(Workload.SCHEMA);
                    while (!done.get()) {
                        conn.exec("DELETE FROM model");
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            deleter.start();
            BenchResult r;
            try {
                r = new Benchmark(c.addresses(), "gone", Workload.KVREADWRITE, 2, Duration.ofSeconds(2), 32, 64)
                        .run(new PrintStream(new ByteArrayOutputStream(), true));
            } finally {
                done.set(true);
                deleter.join();
            }
            assertThat(r.kinds().get(Kind.READ).errors).as("reads of deleted keys (sql.ErrNoRows in go)").isPositive();
            assertThat(r.kinds().get(Kind.READ).errorCauses.byCount()).containsKey(ErrorCauses.NO_ROW);
            assertThat(r.table()).contains("errors: " + ErrorCauses.NO_ROW);
            assertThat(r.json()).contains("\"errorCauses\": {\"" + ErrorCauses.NO_ROW + "\": ");
        }
    }

    @Test
    void everyRunWritesNewKeysAndTheProgressDoesNotRedrawWithoutATerminal() throws Exception {
        try (InProcessCluster c = new InProcessCluster(tmp, 3, 26810);
             io.jdqlite.client.DqliteClient client = io.jdqlite.client.DqliteClient.create(
                     io.jdqlite.client.ClientConfig.builder().addresses(c.addresses()).build())) {
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            long ok = 0;
            for (int run = 0; run < 2; run++) {
                ok += new Benchmark(c.addresses(), "again", Workload.KVWRITE, 1, Duration.ofSeconds(1), 32, 64)
                        .run(new PrintStream(progress, true)).ok("WRITE");
            }
            long rows;
            try (io.jdqlite.client.DqliteConnection conn = client.open("again");
                 io.jdqlite.client.Rows q = conn.query("SELECT count(*) FROM model")) {
                assertThat(q.next()).isTrue();
                rows = (Long) q.get(0);
            }
            // at most one write per run completes after the window, unrecorded
            assertThat(rows).as("the second run inserts new keys, not the first run's again").isBetween(ok, ok + 2);
            assertThat(progress.toString()).as("no terminal under the tests: plain lines, no redraws")
                    .doesNotContain("\r").contains("kvwrite 1 workers:");
            assertThat(progress.toString().lines().count()).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void aRunThatLosesItsQuorumEndsOnTimeWithItsWindowAsTimeBase() throws Exception {
        try (InProcessCluster c = new InProcessCluster(tmp, 3, 26820)) {
            int leader = c.leader();
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(700);
                } catch (InterruptedException e) {
                    return;
                }
                // both followers at once: closing a member takes a while, and the quorum must be gone well
                // before the end of the run
                java.util.stream.IntStream.range(0, 3).filter(i -> i != leader).parallel().forEach(i -> c.engine(i).close());
            });
            killer.start();
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            BenchResult r = new Benchmark(c.addresses(), "quorum", Workload.KVWRITE, 2, Duration.ofSeconds(4), 32, 64)
                    .run(new PrintStream(progress, true));
            killer.join();
            assertThat(r.ok("WRITE")).isPositive();
            assertThat(r.seconds()).as("ok/s over the 4 s window, not over the wait for stuck writes").isLessThan(4.05);
            // Without a quorum the writes wait for the engine's 5 s write timeout: the run stops them itself.
            assertThat(progress.toString()).contains("workers were still waiting for a reply").contains("aborted");
        }
    }

    @Test
    void anUnreachableClusterFailsSoonWithAClearMessageAndAJsonSayingWhy() throws Exception {
        java.io.PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Path json = tmp.resolve("out/unreachable.json");
        int rc;
        long t0 = System.nanoTime();
        try {
            System.setErr(new PrintStream(captured, true));
            rc = new picocli.CommandLine(new io.jdqlite.cli.Main()).execute("bench", "--cluster", "127.0.0.1:26999",
                    "--duration", "1s", "--connect-timeout", "1s", "--json", json.toString());
        } finally {
            System.setErr(err);
        }
        assertThat(rc).isEqualTo(1);
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(8);
        assertThat(captured.toString()).contains("jdqlite bench: cannot start on 127.0.0.1:26999")
                .doesNotContain("\tat ");
        assertThat(Files.readString(json)).contains("\"error\": \"").contains("\"kinds\": {}");
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new Benchmark(List.of(""), "b", Workload.KVWRITE, 1, Duration.ofSeconds(1), 32, 1024))
                .hasMessageContaining("--cluster");
        assertThatThrownBy(() -> new Benchmark(List.of("127.0.0.1"), "b", Workload.KVWRITE, 1, Duration.ofSeconds(1), 32, 1024))
                .hasMessageContaining("not a node address host:port");
        assertThatThrownBy(() -> new Benchmark(List.of("127.0.0.1:1"), "b", Workload.KVWRITE, -3, Duration.ofSeconds(1), 32, 1024))
                .hasMessageContaining("--workers");
        assertThatThrownBy(() -> new Benchmark(List.of("127.0.0.1:1"), "b", Workload.KVWRITE, 0, Duration.ofSeconds(1), 32, 1024))
                .hasMessageContaining("--workers");
        assertThatThrownBy(() -> Workload.parse("kvdelete")).hasMessageContaining("kvwrite or kvreadwrite");
        assertThatThrownBy(() -> new Benchmark(List.of("127.0.0.1:1"), "b", Workload.KVWRITE, 1, Duration.ofSeconds(1), 32, 1024,
                Duration.ofSeconds(-1))).hasMessageContaining("--warmup");
        assertThatThrownBy(() -> new Benchmark(List.of("127.0.0.1:1"), "b", Workload.KVWRITE, 1, Duration.ZERO, 32, 1024))
                .hasMessageContaining("--duration");
    }
}
