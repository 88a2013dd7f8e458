package io.jdqlite.node.gateway;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * This node's failure domain and weight, as reported by DESCRIBE and changed by WEIGHT. Thread-safe.
 * When created with {@link #persistent}, every change is written to a small properties file so it
 * survives restarts.
 */
public final class NodeMetadata {
    private static final String FAILURE_DOMAIN = "failure-domain";
    private static final String WEIGHT = "weight";

    private final Path file;
    private long failureDomain;
    private long weight;

    public NodeMetadata(long failureDomain, long weight) {
        this(null, failureDomain, weight);
    }

    private NodeMetadata(Path file, long failureDomain, long weight) {
        this.file = file;
        this.failureDomain = failureDomain;
        this.weight = weight;
    }

    /**
     * Metadata stored in {@code file}: loaded from it when it exists (else the defaults are used),
     * and rewritten on every change.
     */
    public static NodeMetadata persistent(Path file, long defaultFailureDomain, long defaultWeight) throws IOException {
        long fd = defaultFailureDomain;
        long w = defaultWeight;
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            try {
                fd = Long.parseUnsignedLong(p.getProperty(FAILURE_DOMAIN, Long.toUnsignedString(fd)).trim());
                w = Long.parseUnsignedLong(p.getProperty(WEIGHT, Long.toUnsignedString(w)).trim());
            } catch (NumberFormatException e) {
                throw new IOException("malformed node metadata file " + file + ": " + e.getMessage(), e);
            }
        }
        return new NodeMetadata(file, fd, w);
    }

    public synchronized long failureDomain() {
        return failureDomain;
    }

    public synchronized long weight() {
        return weight;
    }

    public synchronized void setWeight(long weight) {
        this.weight = weight;
        save();
    }

    public synchronized void setFailureDomain(long failureDomain) {
        this.failureDomain = failureDomain;
        save();
    }

    private void save() {
        if (file == null) {
            return;
        }
        Properties p = new Properties();
        p.setProperty(FAILURE_DOMAIN, Long.toUnsignedString(failureDomain));
        p.setProperty(WEIGHT, Long.toUnsignedString(weight));
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "jdqlite node metadata (DESCRIBE/WEIGHT)");
            }
            // atomic so a crash never leaves a half-written file
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save node metadata to " + file, e);
        }
    }
}
