package io.jdqlite.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** The node's stable uint64 id, kept in {@code <dataDir>/node-id}. */
final class NodeIdentity {
    static final String FILE = "node-id";

    private NodeIdentity() {
    }

    /**
     * Loads the stored id; a configured id must match it. A fresh directory stores the configured id, or
     * a random one (as dqlite does) when none is configured.
     */
    static long loadOrCreate(Path dataDir, long configured) throws IOException {
        Path f = dataDir.resolve(FILE);
        if (Files.exists(f)) {
            String text = Files.readString(f, StandardCharsets.UTF_8).trim();
            long stored;
            try {
                stored = Long.parseUnsignedLong(text);
            } catch (NumberFormatException e) {
                throw new IOException("corrupt node id file " + f + ": '" + text + "'");
            }
            if (configured != 0 && configured != stored) {
                throw new IOException("data directory " + dataDir + " belongs to node " + Long.toUnsignedString(stored)
                        + ", not to the configured node " + Long.toUnsignedString(configured)
                        + "; use another data directory (a node never rejoins under another identity)");
            }
            return stored;
        }
        long id = configured != 0 ? configured : randomId();
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, Long.toUnsignedString(id) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    private static long randomId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        } while (id == 0);
        return id;
    }
}
