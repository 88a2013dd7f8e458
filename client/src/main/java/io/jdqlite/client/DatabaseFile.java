package io.jdqlite.client;

/**
 * One file of a database as a node dumps it (DUMP): the main file, named like the database, or its WAL
 * ({@code name + "-wal"}). Together they are one committed state: written side by side, SQLite opens them
 * as that database.
 */
public record DatabaseFile(String name, byte[] content) {
    public DatabaseFile {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(content, "content");
    }

    @Override
    public String toString() {
        return "DatabaseFile[" + name + ", " + content.length + " bytes]";
    }
}
