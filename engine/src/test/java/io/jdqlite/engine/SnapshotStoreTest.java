package io.jdqlite.engine;

import org.apache.ratis.server.protocol.TermIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotStoreTest {
    @TempDir
    Path tmp;

    /** As if the directory had been still for longer than the store waits before it caches an answer. */
    private static void settle(SnapshotStore store) throws Exception {
        Files.setLastModifiedTime(store.snapshotsDir(), java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - SnapshotStore.SETTLED_MILLIS - 1000));
    }

    private static void take(SnapshotStore store, long index) throws Exception {
        boolean taken = store.take(TermIndex.valueOf(1, index), dir -> {
            Files.writeString(dir.resolve("app.sqlite"), "db at " + index);
            return true;
        });
        assertThat(taken).isTrue();
    }

    @Test
    void aSnapshotGivenUpOrFailedLeavesNoTraceAndTheLatestOneStands() throws Exception {
        SnapshotStore store = SnapshotStore.detached(tmp);
        take(store, 10);
        boolean taken = store.take(TermIndex.valueOf(1, 20), dir -> {
            Files.writeString(dir.resolve("app.sqlite"), "half");
            return false;
        });
        assertThat(taken).isFalse();
        assertThatThrownBy(() -> store.take(TermIndex.valueOf(1, 30), dir -> {
            Files.writeString(dir.resolve("app.sqlite"), "half");
            throw new java.io.IOException("disk full");
        })).hasMessage("disk full");
        assertThat(store.latest().termIndex().getIndex()).isEqualTo(10);
        try (java.util.stream.Stream<Path> left = Files.list(store.snapshotsDir())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("1_10");
        }
    }

    @Test
    void theLatestSnapshotFollowsTakenInstalledAndPrunedSnapshotsWhileItsAnswerIsCached() throws Exception {
        SnapshotStore store = SnapshotStore.detached(tmp);
        assertThat(store.latest()).isNull();
        take(store, 10);
        assertThat(store.latest().termIndex().getIndex()).isEqualTo(10);
        settle(store); // from now on the answer is cached
        assertThat(store.getLatestSnapshot().getIndex()).isEqualTo(10);
        take(store, 20);
        assertThat(store.latest().termIndex().getIndex()).isEqualTo(20);
        assertThat(store.getLatestSnapshot().getFiles()).extracting(f -> f.getPath().getFileName().toString())
                .containsExactly("app.sqlite", SnapshotStore.MANIFEST);
        settle(store);
        assertThat(store.latest().termIndex().getIndex()).isEqualTo(20);
        // A snapshot that arrives by another way (Ratis installs one by renaming a directory into place).
        Path staged = Files.createDirectories(tmp.resolve("staging/1_30"));
        Files.writeString(staged.resolve("app.sqlite"), "installed");
        Files.writeString(staged.resolve(SnapshotStore.MANIFEST), "term=1\nindex=30\n");
        Files.move(staged, store.snapshotsDir().resolve("1_30"));
        assertThat(store.latest().termIndex().getIndex()).isEqualTo(30);
        assertThat(store.getLatestSnapshot().getFiles().get(0).getPath()).hasFileName("app.sqlite")
                .hasContent("installed");
    }
}
