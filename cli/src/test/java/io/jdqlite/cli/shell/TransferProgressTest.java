package io.jdqlite.cli.shell;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TransferProgressTest {
    private final ByteArrayOutputStream lines = new ByteArrayOutputStream();
    private long now;
    private final TransferProgress progress = new TransferProgress(new PrintStream(lines, true, StandardCharsets.UTF_8),
            "fetching db", () -> now);

    private String printed() {
        return lines.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aShortTransferPrintsNothing() {
        for (long b = 0; b <= 50 << 20; b += 1 << 20) {
            now += 50_000_000; // 2.5 s for 50 MiB
            progress.received(b, 50 << 20);
        }
        assertThat(printed()).isEmpty();
    }

    @Test
    void aLongOnePrintsALineEvery64MiBOrEvery5Seconds() {
        long total = 5L << 30;
        for (long b = 64 << 10; b <= 200L << 20; b += 64 << 10) {
            progress.received(b, total); // fast: by size only
        }
        assertThat(printed()).isEqualTo("fetching db: 64.0 of 5120.0 MiB (1%)\nfetching db: 128.0 of 5120.0 MiB (2%)\n"
                + "fetching db: 192.0 of 5120.0 MiB (3%)\n");
        lines.reset();
        now += 5_000_000_000L; // slow: by time
        progress.received((200L << 20) + 1, total);
        progress.received((200L << 20) + 2, total);
        assertThat(printed()).isEqualTo("fetching db: 200.0 of 5120.0 MiB (3%)\n");
    }
}
