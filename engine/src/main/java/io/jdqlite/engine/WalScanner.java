package io.jdqlite.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads committed transactions out of a SQLite WAL file.
 *
 * <p>WAL layout: a 32-byte header (magic, format, page size, checkpoint sequence, salt-1, salt-2,
 * checksum-1, checksum-2) then frames of a 24-byte header (page number, database size in pages for a
 * commit frame else 0, salt-1, salt-2, checksum-1, checksum-2) and one page. Checksums chain from the
 * header through every frame. Frames after the last valid commit frame belong to an uncommitted or
 * rolled-back transaction (cache spill) and are ignored; frames whose salt or chained checksum does not
 * match are stale leftovers of an overwritten WAL.
 */
final class WalScanner {
    static final int HEADER_SIZE = 32;
    static final int FRAME_HEADER_SIZE = 24;
    private static final int MAGIC_LE = 0x377f0682;
    private static final int MAGIC_BE = 0x377f0683;

    private WalScanner() {
    }

    /** Where a scan stopped: just after a commit frame, with the checksum state to continue from. */
    record Cursor(long offset, int pageSize, int salt1, int salt2, int sum1, int sum2, boolean bigEndianSums) {
        static final Cursor START = new Cursor(0, 0, 0, 0, 0, 0, false);

        boolean atStart() {
            return offset == 0;
        }

        long frameCount() {
            return pageSize == 0 ? 0 : (offset - HEADER_SIZE) / (FRAME_HEADER_SIZE + pageSize);
        }
    }

    /**
     * The committed frames found after a cursor: for each page, the file offset of its last image
     * (iteration order = first appearance), the database size after the last commit, and the new cursor.
     */
    record Scan(Cursor end, Map<Integer, Long> lastImageOffsets, int commitPages, boolean restarted) {
        boolean isEmpty() {
            return lastImageOffsets.isEmpty();
        }

        int pageSize() {
            return end.pageSize();
        }
    }

    /**
     * Scans committed frames of {@code wal} from {@code from} up to {@code limit} bytes (exclusive).
     * If the WAL was restarted since {@code from} (new salts), the scan starts over at the header.
     */
    static Scan scan(FileChannel wal, Cursor from, long limit) throws IOException {
        long size = Math.min(wal.size(), limit);
        Cursor cursor = from;
        boolean restarted = false;
        if (!cursor.atStart()) {
            Cursor header = readHeader(wal, size);
            if (header == null || header.salt1() != cursor.salt1() || header.salt2() != cursor.salt2()) {
                cursor = Cursor.START;
                restarted = true;
            }
        }
        if (cursor.atStart()) {
            Cursor header = readHeader(wal, size);
            if (header == null) {
                return new Scan(Cursor.START, Map.of(), 0, restarted);
            }
            cursor = header;
        }
        int pageSize = cursor.pageSize();
        int frameSize = FRAME_HEADER_SIZE + pageSize;
        ByteBuffer frame = ByteBuffer.allocate(frameSize);
        Map<Integer, Long> pending = new LinkedHashMap<>();
        Map<Integer, Long> committed = new LinkedHashMap<>();
        Cursor lastCommit = cursor;
        int commitPages = 0;
        long pos = cursor.offset();
        int s1 = cursor.sum1();
        int s2 = cursor.sum2();
        while (pos + frameSize <= size) {
            frame.clear();
            readFully(wal, frame, pos);
            frame.flip();
            frame.order(ByteOrder.BIG_ENDIAN);
            int pgno = frame.getInt(0);
            int dbSize = frame.getInt(4);
            if (frame.getInt(8) != cursor.salt1() || frame.getInt(12) != cursor.salt2() || pgno <= 0) {
                break;
            }
            int[] sums = checksum(frame, 0, 8, s1, s2, cursor.bigEndianSums());
            sums = checksum(frame, FRAME_HEADER_SIZE, pageSize, sums[0], sums[1], cursor.bigEndianSums());
            if (sums[0] != frame.getInt(16) || sums[1] != frame.getInt(20)) {
                break;
            }
            s1 = sums[0];
            s2 = sums[1];
            pending.remove(pgno); // keep first-appearance order stable only within a transaction
            pending.put(pgno, pos + FRAME_HEADER_SIZE);
            pos += frameSize;
            if (dbSize != 0) {
                pending.forEach(committed::put);
                pending.clear();
                commitPages = dbSize;
                lastCommit = new Cursor(pos, pageSize, cursor.salt1(), cursor.salt2(), s1, s2, cursor.bigEndianSums());
            }
        }
        return new Scan(lastCommit, committed, commitPages, restarted);
    }

    /** Parses and validates the WAL header; null when absent or invalid (an empty or being-reset WAL). */
    static Cursor readHeader(FileChannel wal, long size) throws IOException {
        if (size < HEADER_SIZE) {
            return null;
        }
        ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE);
        readFully(wal, h, 0);
        h.flip();
        h.order(ByteOrder.BIG_ENDIAN);
        int magic = h.getInt(0);
        if (magic != MAGIC_LE && magic != MAGIC_BE) {
            return null;
        }
        boolean bigEndianSums = magic == MAGIC_BE;
        int pageSize = h.getInt(8);
        if (pageSize == 1) {
            pageSize = 65536;
        }
        if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            return null;
        }
        int[] sums = checksum(h, 0, 24, 0, 0, bigEndianSums);
        if (sums[0] != h.getInt(24) || sums[1] != h.getInt(28)) {
            return null;
        }
        return new Cursor(HEADER_SIZE, pageSize, h.getInt(16), h.getInt(20), sums[0], sums[1], bigEndianSums);
    }

    /** SQLite's WAL checksum (walChecksumBytes) over {@code len} bytes (a multiple of 8) at {@code off}. */
    static int[] checksum(ByteBuffer buf, int off, int len, int s1, int s2, boolean bigEndian) {
        ByteBuffer b = buf.duplicate().order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (int i = off; i < off + len; i += 8) {
            s1 += b.getInt(i) + s2;
            s2 += b.getInt(i + 4) + s1;
        }
        return new int[] {s1, s2};
    }

    static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + pos);
            }
            pos += n;
        }
    }
}
