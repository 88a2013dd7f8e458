package io.jdqlite.engine;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A DUMP of one database: its committed content as one SQLite file, in a temporary file of the node's that
 * {@link #close()} deletes. Its holder sends it from there, so no dump is ever held in memory.
 */
public final class DatabaseDump implements AutoCloseable {
    private final String name;
    private final Path file;
    private final long size;

    DatabaseDump(String name, Path file, long size) {
        this.name = name;
        this.file = file;
        this.size = size;
    }

    /** The database's name. */
    public String name() {
        return name;
    }

    /** The SQLite file, readable until {@link #close()}. */
    public Path file() {
        return file;
    }

    public long size() {
        return size;
    }

    /** Deletes the file; idempotent, and safe while the file is still open (its reader keeps its content). */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LoggerFactory.getLogger(DatabaseDump.class).warn("cannot delete the dump file {}: {}", file, e.toString());
        }
    }

    @Override
    public String toString() {
        return "DatabaseDump[" + name + ", " + size + " bytes]";
    }
}
