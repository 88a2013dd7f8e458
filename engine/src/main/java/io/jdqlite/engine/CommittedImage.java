package io.jdqlite.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The committed content of one database, captured in an instant under {@code db.lock} and written out
 * later without it: the main file as it was at the capture, plus, on a leader, the last image of every page
 * in the WAL frames a majority had committed. Copying a large database under the lock stalled the leader
 * for seconds.
 *
 * <p>A serving leader goes on committing and checkpointing meanwhile. Its WAL grows only past the captured
 * end; a checkpoint, though, rewrites pages of the main file and restarts the WAL over the captured frames.
 * So, just before each checkpoint (under the lock), the image saves what that checkpoint is about to
 * overwrite into a side file: the captured WAL images (once) and the main file's current version of every
 * page the checkpoint writes or cuts off (each page once: the first save is the captured version). The
 * main file copy, whatever checkpoints it raced with, is then corrected with those saved pages.
 *
 * <p>Anything else that rewrites the files (applying as a follower, stepping down, a restore) bumps the
 * database's file generation first, and {@link #stillValid()} then says the copy is void.
 */
final class CommittedImage implements AutoCloseable, Leader.CheckpointWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(CommittedImage.class);
    /**
     * Copied and flushed to disk a chunk at a time: left to the final fsync, a snapshot of a few hundred MB
     * reached the disk in one burst that held every Raft log fsync behind it for a second or more.
     */
    private static final long CHUNK = 8L << 20;

    private final Database db;
    private final long generation;
    private final FileChannel file;
    private final long mainBytes;
    private final FileChannel wal;
    private final long walEnd;
    private final Leader leader;
    private final Path workDir;

    // Saved pages, guarded by db.lock: written by the leader loop before its checkpoints, read after detach().
    private FileChannel side;
    private Path sidePath;
    private long sideEnd;
    private final Map<Integer, Long> mainPages = new HashMap<>();
    private Map<Integer, Long> walPages;
    private int walCommitPages;
    private int pageSize;
    private boolean detached;

    private CommittedImage(Database db, FileChannel file, FileChannel wal, long walEnd, Leader leader, Path workDir)
            throws IOException {
        this.db = db;
        this.generation = db.fileGeneration();
        this.file = file;
        this.mainBytes = file == null ? 0 : file.size();
        this.wal = wal;
        this.walEnd = walEnd;
        this.leader = leader;
        this.workDir = workDir;
    }

    /** Captures {@code db} as it is now (db.lock held); saved pages go to a file in {@code workDir}. */
    static CommittedImage capture(Database db, Path workDir) throws IOException {
        FileChannel file = Files.exists(db.file()) ? FileChannel.open(db.file(), StandardOpenOption.READ) : null;
        FileChannel wal = null;
        try {
            Leader l = db.leader();
            if (l == null || !l.isServing()) {
                return new CommittedImage(db, file, null, 0, null, workDir);
            }
            long walEnd = l.committedWalEnd();
            wal = FileChannel.open(db.wal(), StandardOpenOption.READ);
            CommittedImage image = new CommittedImage(db, file, wal, walEnd, l, workDir);
            l.watchCheckpoints(image);
            return image;
        } catch (IOException | RuntimeException e) {
            closeQuietly(file);
            closeQuietly(wal);
            throw e;
        }
    }

    /** Whether this image is of a serving leader's database (which keeps changing while it is written). */
    boolean ofServingLeader() {
        return leader != null;
    }

    Database database() {
        return db;
    }

    // ---------------------------------------------------------------- leader loop, db.lock held

    @Override
    public void beforeCheckpoint() throws IOException {
        if (detached) {
            return;
        }
        saveWalPages();
        WalScanner.Scan all = WalScanner.scan(wal, WalScanner.Cursor.START, Long.MAX_VALUE);
        if (all.isEmpty()) {
            return;
        }
        int size = all.pageSize();
        if (pageSize == 0) {
            pageSize = size; // fixed for a database in WAL mode
        }
        long mainPagesNow = file == null ? 0 : file.size() / size;
        Set<Integer> overwritten = new LinkedHashSet<>(all.lastImageOffsets().keySet());
        for (long p = all.commitPages() + 1L; p <= mainPagesNow; p++) {
            overwritten.add((int) p); // cut off when the database shrank
        }
        ByteBuffer page = ByteBuffer.allocate(size);
        for (int p : overwritten) {
            long at = (long) (p - 1) * size;
            if (at + size > mainBytes || mainPages.containsKey(p)) {
                continue; // not part of the captured file, or its captured version is saved already
            }
            page.clear();
            WalScanner.readFully(file, page, at);
            page.flip();
            mainPages.put(p, appendToSide(page));
        }
    }

    /** The captured WAL frames' last images, before a checkpoint restarts the WAL over them (db.lock held). */
    private void saveWalPages() throws IOException {
        if (walPages != null) {
            return;
        }
        Map<Integer, Long> saved = new HashMap<>();
        if (walEnd > 0) {
            WalScanner.Scan scan = WalScanner.scan(wal, WalScanner.Cursor.START, walEnd);
            if (!scan.isEmpty()) {
                pageSize = scan.pageSize();
                walCommitPages = scan.commitPages();
                ByteBuffer page = ByteBuffer.allocate(pageSize);
                for (Map.Entry<Integer, Long> e : scan.lastImageOffsets().entrySet()) {
                    page.clear();
                    WalScanner.readFully(wal, page, e.getValue());
                    page.flip();
                    saved.put(e.getKey(), appendToSide(page));
                }
            }
        }
        walPages = saved;
    }

    private long appendToSide(ByteBuffer page) throws IOException {
        if (side == null) {
            Files.createDirectories(workDir);
            sidePath = Files.createTempFile(workDir, "saved-pages-", ".tmp");
            side = FileChannel.open(sidePath, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        long at = sideEnd;
        while (page.hasRemaining()) {
            sideEnd += side.write(page, sideEnd);
        }
        return at;
    }

    // ---------------------------------------------------------------- writing the image

    /**
     * Writes the image as one SQLite file at {@code target}: the main file in chunks, at no more than
     * {@code bytesPerSecond} (0: as fast as the disk goes), then the saved pages. Gives up (returns false)
     * as soon as {@code cancelled} says so.
     */
    boolean writeTo(Path target, long bytesPerSecond, BooleanSupplier cancelled) throws IOException {
        long started = System.nanoTime();
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long at = 0; at < mainBytes; ) {
                if (cancelled.getAsBoolean()) {
                    return false;
                }
                long n = file.transferTo(at, Math.min(CHUNK, mainBytes - at), out);
                if (n <= 0) {
                    break; // the file got shorter (a checkpoint of a shrunk database): the saved pages fill in
                }
                at += n;
                out.force(false);
                if (!pace(started, at, bytesPerSecond)) {
                    return false;
                }
            }
            detach();
            out.truncate(mainBytes);
            copyPages(mainPages, mainPagePageSize(), out);
            if (!walPages.isEmpty()) {
                copyPages(walPages, pageSize, out);
                out.truncate((long) walCommitPages * pageSize);
            }
            return true;
        }
    }

    /** Stops watching checkpoints; saves the captured WAL images if no checkpoint did yet. */
    private void detach() throws IOException {
        db.lock().lock();
        try {
            if (leader != null) {
                leader.unwatchCheckpoints(this);
            }
            detached = true;
            if (leader != null) {
                saveWalPages();
            } else {
                walPages = Map.of();
            }
        } finally {
            db.lock().unlock();
        }
    }

    /** Main-file pages are saved only once a checkpoint came, which also tells their size. */
    private int mainPagePageSize() throws IOException {
        if (mainPages.isEmpty()) {
            return 0;
        }
        if (pageSize == 0) {
            throw new IOException("page size unknown for saved pages of " + db.name());
        }
        return pageSize;
    }

    private void copyPages(Map<Integer, Long> pages, int size, FileChannel out) throws IOException {
        if (pages.isEmpty()) {
            return;
        }
        ByteBuffer page = ByteBuffer.allocate(size);
        for (Map.Entry<Integer, Long> e : pages.entrySet()) {
            page.clear();
            WalScanner.readFully(side, page, e.getValue());
            page.flip();
            long at = (long) (e.getKey() - 1) * size;
            while (page.hasRemaining()) {
                at += out.write(page, at);
            }
        }
    }

    /** Sleeps until {@code bytes} are due at {@code bytesPerSecond}; false if interrupted. */
    private static boolean pace(long startedNanos, long bytes, long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            return true;
        }
        long due = startedNanos + (long) (bytes * 1e9 / bytesPerSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** True when nothing rewrote the database's files since the capture: what was written is the image. */
    boolean stillValid() {
        db.lock().lock();
        try {
            return db.fileGeneration() == generation;
        } finally {
            db.lock().unlock();
        }
    }

    /** Stops watching the leader's checkpoints and deletes the saved pages. */
    @Override
    public void close() {
        db.lock().lock();
        try {
            if (leader != null) {
                leader.unwatchCheckpoints(this);
            }
            detached = true;
        } finally {
            db.lock().unlock();
        }
        closeQuietly(file);
        closeQuietly(wal);
        closeQuietly(side);
        if (sidePath != null) {
            try {
                Files.deleteIfExists(sidePath);
            } catch (IOException e) {
                LOG.warn("cannot delete {}", sidePath, e);
            }
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to lose
            }
        }
    }
}
