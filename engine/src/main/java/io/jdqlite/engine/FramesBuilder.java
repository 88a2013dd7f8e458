package io.jdqlite.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cuts the pages of a captured transaction into FRAMES commands of at most {@code maxEntryBytes} each. A part's
 * page images are read from the WAL only when the part is asked for, so a transaction of any size costs the
 * leader the memory of the parts it has in flight, not of the whole transaction.
 */
final class FramesBuilder {
    private final FileChannel wal;
    private final WalScanner.Scan scan;
    private final String database;
    private final long origin;
    private final long txId;
    private final int perPart;
    private final List<Map.Entry<Integer, Long>> pages;

    private FramesBuilder(FileChannel wal, WalScanner.Scan scan, String database, long origin, long txId,
                          int maxEntryBytes) {
        this.wal = wal;
        this.scan = scan;
        this.database = database;
        this.origin = origin;
        this.txId = txId;
        this.perPart = Math.max(1, maxEntryBytes / (scan.pageSize() + 4));
        this.pages = new ArrayList<>(scan.lastImageOffsets().entrySet());
    }

    /** The parts of {@code scan}'s transaction, none read yet. */
    static FramesBuilder of(FileChannel wal, WalScanner.Scan scan, String database, long origin, long txId,
                            int maxEntryBytes) {
        return new FramesBuilder(wal, scan, database, origin, txId, maxEntryBytes);
    }

    long txId() {
        return txId;
    }

    int partCount() {
        return (pages.size() + perPart - 1) / perPart;
    }

    /** Part {@code part} (from 0), its page images read from the WAL now; the WAL must still hold them. */
    Command.Frames part(int part) throws IOException {
        int pageSize = scan.pageSize();
        int from = part * perPart;
        int to = Math.min(pages.size(), from + perPart);
        int n = to - from;
        int[] pgnos = new int[n];
        byte[] images = new byte[n * pageSize];
        for (int i = 0; i < n; i++) {
            Map.Entry<Integer, Long> e = pages.get(from + i);
            pgnos[i] = e.getKey();
            WalScanner.readFully(wal, ByteBuffer.wrap(images, i * pageSize, pageSize), e.getValue());
        }
        boolean last = to == pages.size();
        return new Command.Frames(database, origin, txId, part, last, pageSize, last ? scan.commitPages() : 0, pgnos,
                images);
    }
}
