package io.jdqlite.engine;

import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Snapshots on disk: {@code <sm>/snapshots/<term>_<index>/} holds one SQLite file per database and a
 * MANIFEST. Ratis streams these files in chunks to a follower that needs them (install-snapshot), so a
 * snapshot never has to fit in memory.
 */
final class SnapshotStore implements StateMachineStorage {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    static final String MANIFEST = "MANIFEST";
    private static final int KEEP = 2;

    private volatile Path snapshotsDir;
    private volatile Path tmpDir;
    private volatile Path workDir;
    /**
     * Ratis asks for the latest snapshot on every applied entry and every append to a follower; listing
     * the directory each time cost a tenth of a write's CPU. The answer is kept until the snapshots
     * directory changes (a snapshot taken, installed or pruned renames or deletes an entry in it).
     */
    private volatile Cached cached;
    /** File times are coarse (a clock tick): an answer is cached only once the directory was still this long. */
    static final long SETTLED_MILLIS = 1000;

    private record Cached(java.nio.file.attribute.FileTime dirModified, Snapshot latest, FileListSnapshotInfo info) {
    }

    /** A snapshot directory and the Raft position it holds. */
    record Snapshot(Path dir, TermIndex termIndex) {
        List<Path> databaseFiles() throws IOException {
            try (Stream<Path> s = Files.list(dir)) {
                return s.filter(p -> DatabaseNames.isDatabaseFile(p.getFileName().toString())).sorted().toList();
            }
        }
    }

    @Override
    public void init(RaftStorage storage) throws IOException {
        Path sm = storage.getStorageDir().getStateMachineDir().toPath();
        snapshotsDir = sm.resolve("snapshots");
        tmpDir = sm.resolve("tmp");
        workDir = sm.resolve("work");
        Files.createDirectories(snapshotsDir);
        Files.createDirectories(tmpDir);
        deleteTree(workDir); // left by a snapshot being written when the node stopped
        invalidate();
    }

    /** A store outside any Raft storage (recovery writes its snapshot there). */
    static SnapshotStore detached(Path dir) throws IOException {
        SnapshotStore s = new SnapshotStore();
        s.snapshotsDir = Files.createDirectories(dir.resolve("snapshots"));
        s.tmpDir = Files.createDirectories(dir.resolve("tmp"));
        s.workDir = dir.resolve("work");
        return s;
    }

    Path snapshotsDir() {
        return snapshotsDir;
    }

    /** Where snapshots being written keep their temporary files (emptied at start). */
    Path workDir() {
        return workDir;
    }

    @Override
    public File getSnapshotDir() {
        return snapshotsDir == null ? null : snapshotsDir.toFile();
    }

    @Override
    public File getTmpDir() {
        return tmpDir == null ? null : tmpDir.toFile();
    }

    @Override
    public void format() {
        // nothing: directories are created in init
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) {
        // take() keeps the newest KEEP snapshots
    }

    @Override
    public FileListSnapshotInfo getLatestSnapshot() {
        Cached c = current();
        return c == null ? null : c.info();
    }

    /** The newest complete snapshot (one with a MANIFEST), or null. */
    Snapshot latest() {
        Cached c = current();
        return c == null ? null : c.latest();
    }

    private Cached current() {
        Path dir = snapshotsDir;
        if (dir == null) {
            return null;
        }
        java.nio.file.attribute.FileTime modified;
        try {
            modified = Files.getLastModifiedTime(dir);
        } catch (IOException e) {
            return null; // no snapshots directory: no snapshot
        }
        Cached c = cached;
        if (c != null && c.dirModified().equals(modified)) {
            return c;
        }
        Snapshot s = scan(dir);
        c = new Cached(modified, s, s == null ? null : info(s));
        // A change within the tick of the last one would not show: keep only answers of a settled directory.
        cached = System.currentTimeMillis() - modified.toMillis() > SETTLED_MILLIS ? c : null;
        return c;
    }

    private static FileListSnapshotInfo info(Snapshot s) {
        try {
            List<FileInfo> files = new ArrayList<>();
            for (Path p : s.databaseFiles()) {
                files.add(new FileInfo(p, null));
            }
            files.add(new FileInfo(s.dir().resolve(MANIFEST), null));
            return new FileListSnapshotInfo(files, s.termIndex());
        } catch (IOException e) {
            LOG.warn("cannot list snapshot {}", s.dir(), e);
            return null;
        }
    }

    private static Snapshot scan(Path snapshotsDir) {
        if (!Files.isDirectory(snapshotsDir)) {
            return null;
        }
        Snapshot best = null;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(snapshotsDir)) {
            for (Path d : ds) {
                TermIndex ti = parse(d.getFileName().toString());
                if (ti != null && Files.exists(d.resolve(MANIFEST)) && (best == null || ti.getIndex() > best.termIndex().getIndex())) {
                    best = new Snapshot(d, ti);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list snapshots in {}", snapshotsDir, e);
        }
        return best;
    }

    private static TermIndex parse(String name) {
        int u = name.indexOf('_');
        if (u <= 0 || name.startsWith(".")) {
            return null;
        }
        try {
            return TermIndex.valueOf(Long.parseLong(name.substring(0, u)), Long.parseLong(name.substring(u + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Forgets the cached answer (a snapshot was installed or adopted). */
    void invalidate() {
        cached = null;
    }

    /** Something that writes the database files of a snapshot into a directory; false to give it up. */
    interface Writer {
        boolean writeTo(Path dir) throws IOException;
    }

    /**
     * Writes a new snapshot atomically (temp dir, fsync, rename) and drops older ones. False, leaving no
     * trace, when the writer gave up.
     */
    boolean take(TermIndex ti, Writer writer) throws IOException {
        String name = ti.getTerm() + "_" + ti.getIndex();
        Path target = snapshotsDir.resolve(name);
        if (Files.exists(target.resolve(MANIFEST))) {
            return true;
        }
        Path tmp = snapshotsDir.resolve("." + name + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        try {
            if (!writer.writeTo(tmp)) {
                deleteTree(tmp);
                return false;
            }
            publish(ti, tmp, target);
            return true;
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    private void publish(TermIndex ti, Path tmp, Path target) throws IOException {
        StringBuilder manifest = new StringBuilder("term=" + ti.getTerm() + "\nindex=" + ti.getIndex() + "\n");
        try (Stream<Path> s = Files.list(tmp)) {
            for (Path p : s.sorted().toList()) {
                manifest.append("file=").append(p.getFileName()).append(' ').append(Files.size(p)).append('\n');
                fsync(p);
            }
        }
        Path mf = tmp.resolve(MANIFEST);
        Files.writeString(mf, manifest.toString(), StandardCharsets.UTF_8);
        fsync(mf);
        deleteTree(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        fsync(snapshotsDir);
        prune();
        invalidate();
    }

    private void prune() throws IOException {
        List<Path> all = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(snapshotsDir)) {
            for (Path d : ds) {
                if (parse(d.getFileName().toString()) != null) {
                    all.add(d);
                }
            }
        }
        all.sort(Comparator.comparingLong((Path d) -> parse(d.getFileName().toString()).getIndex()).reversed());
        for (int i = KEEP; i < all.size(); i++) {
            deleteTree(all.get(i));
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    private static void fsync(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                // some file systems cannot fsync directories
            }
            return;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }
}
