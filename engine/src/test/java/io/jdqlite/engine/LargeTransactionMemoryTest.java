package io.jdqlite.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transaction larger than the leader's heap commits: its parts are read from the WAL as they are proposed,
 * a few at a time, rather than all at once (which ran a 512 MiB node out of memory on a 300 MB INSERT). Runs a
 * one-member cluster in a JVM of its own with a 192 MiB heap and writes 256 MiB in one transaction (port 20431).
 */
class LargeTransactionMemoryTest {
    private static final int ROWS = 256;
    private static final int ROW_BYTES = 1 << 20;

    @TempDir
    Path tmp;

    @Test
    void aTransactionLargerThanTheHeapCommits() throws Exception {
        Path log = tmp.resolve("writer.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                Writer.class.getName(), tmp.resolve("cluster").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as(output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("committed " + ROWS + " rows, " + (long) ROWS * ROW_BYTES + " bytes");
    }

    /** The child JVM: one member, one INSERT of ROWS rows of ROW_BYTES random bytes, then a count. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            try (TestCluster c = new TestCluster(Path.of(args[0]), 1, 20430).startAll()) {
                c.exec("big", "CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)");
                c.exec("big", "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ROWS + ") "
                        + "INSERT INTO blobs (data) SELECT randomblob(" + ROW_BYTES + ") FROM n");
                List<Object> counts = List.of(c.query("big", "SELECT count(*), sum(length(data)) FROM blobs").rows().get(0));
                System.out.println("committed " + counts.get(0) + " rows, " + counts.get(1) + " bytes");
            }
            System.exit(0);
        }
    }
}
