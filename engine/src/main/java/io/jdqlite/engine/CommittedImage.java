package io.jdqlite.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The committed content of one database, captured in an instant under {@code db.lock} and written out
 * later without it: the main file plus, on a leader, the last image of every page in the WAL frames a
 * majority committed. Copying a large database under the lock stalled the leader for seconds.
 *
 * <p>While an image is held, the leader keeps its checkpoints back (a checkpoint rewrites the main file and
 * restarts the WAL over the captured frames); it appends only past the captured end. Anything else that
 * rewrites the files (applying as a follower, stepping down, a restore) bumps the database's file
 * generation first, and {@link #stillValid()} then says the copy is void.
 */
final class CommittedImage implements AutoCloseable {
    private static final long CHUNK = 16L << 20;

    private final Database db;
    private final long generation;
    private final FileChannel file;
    private final FileChannel wal;
    private final long walEnd;
    private final boolean ofServingLeader;
    private final Runnable release;

    private CommittedImage(Database db, FileChannel file, FileChannel wal, long walEnd, boolean ofServingLeader,
                           Runnable release) {
        this.db = db;
        this.generation = db.fileGeneration();
        this.file = file;
        this.wal = wal;
        this.walEnd = walEnd;
        this.ofServingLeader = ofServingLeader;
        this.release = release;
    }

    /** Captures {@code db} as it is now (db.lock held). */
    static CommittedImage capture(Database db) throws IOException {
        FileChannel file = Files.exists(db.file()) ? FileChannel.open(db.file(), StandardOpenOption.READ) : null;
        Leader l = db.leader();
        if (l == null || !l.isServing()) {
            return new CommittedImage(db, file, null, 0, false, () -> { });
        }
        long walEnd = l.committedWalEnd();
        FileChannel wal = null;
        if (walEnd > 0) {
            try {
                wal = FileChannel.open(db.wal(), StandardOpenOption.READ);
            } catch (IOException e) {
                closeQuietly(file);
                throw e;
            }
        }
        return new CommittedImage(db, file, wal, walEnd, true, l.holdCheckpoints());
    }

    /** Whether this image holds back the checkpoints of a serving leader (whose database keeps changing). */
    boolean ofServingLeader() {
        return ofServingLeader;
    }

    Database database() {
        return db;
    }

    /**
     * Writes the image as one SQLite file at {@code target}, in chunks; gives up (returns false) as soon
     * as {@code cancelled} says so.
     */
    boolean writeTo(Path target, BooleanSupplier cancelled) throws IOException {
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            if (file != null) {
                long size = file.size();
                for (long at = 0; at < size; ) {
                    if (cancelled.getAsBoolean()) {
                        return false;
                    }
                    at += file.transferTo(at, Math.min(CHUNK, size - at), out);
                }
            }
            if (wal == null) {
                return true;
            }
            WalScanner.Scan scan = WalScanner.scan(wal, WalScanner.Cursor.START, walEnd);
            if (scan.isEmpty()) {
                return true;
            }
            ByteBuffer page = ByteBuffer.allocate(scan.pageSize());
            int written = 0;
            for (Map.Entry<Integer, Long> e : scan.lastImageOffsets().entrySet()) {
                if (++written % 1024 == 0 && cancelled.getAsBoolean()) {
                    return false;
                }
                page.clear();
                WalScanner.readFully(wal, page, e.getValue());
                page.flip();
                long at = (long) (e.getKey() - 1) * scan.pageSize();
                while (page.hasRemaining()) {
                    at += out.write(page, at);
                }
            }
            out.truncate((long) scan.commitPages() * scan.pageSize());
            return true;
        }
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

    /** Lets the leader checkpoint again and closes the files. */
    @Override
    public void close() {
        release.run();
        closeQuietly(file);
        closeQuietly(wal);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // read-only: nothing to lose
            }
        }
    }
}
