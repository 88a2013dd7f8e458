package io.jdqlite.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Applies committed page images to a database file that no SQLite connection has open (a follower's
 * copy). The file is always fully checkpointed: page images go straight to (pgno-1)*pageSize and the
 * file is cut to the committed size. Parts of a multi-entry transaction wait in a spill file so memory
 * stays bounded and nothing is applied before the commit part.
 *
 * <p>No fsync: a replica's files are rebuilt from the last snapshot and the Raft log after a crash.
 */
final class PageWriter {
    private PageWriter() {
    }

    static void apply(Path dbFile, Path spillFile, Command.Frames frames) throws IOException {
        if (!frames.commit()) {
            appendToSpill(spillFile, frames);
            return;
        }
        try (FileChannel db = FileChannel.open(dbFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (Files.exists(spillFile)) {
                applySpill(spillFile, db);
                Files.delete(spillFile);
            }
            writePages(db, frames.pageSize(), frames.pageNumbers(), ByteBuffer.wrap(frames.pages()));
            db.truncate((long) frames.commitPages() * frames.pageSize());
        }
    }

    /** Drops parts of a transaction that will never commit (a new leader's transaction began). */
    static void discardSpill(Path spillFile) throws IOException {
        Files.deleteIfExists(spillFile);
    }

    private static void writePages(FileChannel db, int pageSize, int[] pgnos, ByteBuffer pages) throws IOException {
        for (int i = 0; i < pgnos.length; i++) {
            ByteBuffer page = pages.slice(i * pageSize, pageSize);
            long pos = (long) (pgnos[i] - 1) * pageSize;
            while (page.hasRemaining()) {
                pos += db.write(page, pos);
            }
        }
    }

    // Spill record: int pageSize, int count, count × int pgno, count × page.
    private static void appendToSpill(Path spillFile, Command.Frames frames) throws IOException {
        try (FileChannel spill = FileChannel.open(spillFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer head = ByteBuffer.allocate(8 + 4 * frames.pageCount());
            head.putInt(frames.pageSize()).putInt(frames.pageCount());
            for (int p : frames.pageNumbers()) {
                head.putInt(p);
            }
            head.flip();
            while (head.hasRemaining()) {
                spill.write(head);
            }
            ByteBuffer body = ByteBuffer.wrap(frames.pages());
            while (body.hasRemaining()) {
                spill.write(body);
            }
        }
    }

    private static void applySpill(Path spillFile, FileChannel db) throws IOException {
        try (FileChannel spill = FileChannel.open(spillFile, StandardOpenOption.READ)) {
            long pos = 0;
            long size = spill.size();
            while (pos < size) {
                ByteBuffer head = ByteBuffer.allocate(8);
                WalScanner.readFully(spill, head, pos);
                head.flip();
                int pageSize = head.getInt();
                int count = head.getInt();
                pos += 8;
                ByteBuffer numbers = ByteBuffer.allocate(4 * count);
                WalScanner.readFully(spill, numbers, pos);
                numbers.flip();
                pos += 4L * count;
                ByteBuffer page = ByteBuffer.allocate(pageSize);
                for (int i = 0; i < count; i++) {
                    page.clear();
                    WalScanner.readFully(spill, page, pos);
                    page.flip();
                    pos += pageSize;
                    long at = (long) (numbers.getInt() - 1) * pageSize;
                    while (page.hasRemaining()) {
                        at += db.write(page, at);
                    }
                }
            }
        }
    }
}
