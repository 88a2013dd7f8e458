package io.jdqlite.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Cuts the pages of a captured transaction into FRAMES commands of at most {@code maxEntryBytes} each. */
final class FramesBuilder {
    private FramesBuilder() {
    }

    static List<Command.Frames> build(FileChannel wal, WalScanner.Scan scan, String database, long origin,
                                      long txId, int maxEntryBytes) throws IOException {
        int pageSize = scan.pageSize();
        int perPart = Math.max(1, maxEntryBytes / (pageSize + 4));
        List<Map.Entry<Integer, Long>> pages = new ArrayList<>(scan.lastImageOffsets().entrySet());
        List<Command.Frames> parts = new ArrayList<>();
        for (int from = 0, part = 0; from < pages.size(); from += perPart, part++) {
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
            parts.add(new Command.Frames(database, origin, txId, part, last, pageSize,
                    last ? scan.commitPages() : 0, pgnos, images));
        }
        return parts;
    }
}
