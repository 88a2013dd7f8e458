package io.jdqlite.client;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file written by {@link DqliteClient#dump(String, Path, DumpProgress)}: its name in the node's answer, where it
 * is, and its size.
 */
public record DumpedFile(String name, Path path, long size) {
    public DumpedFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
    }
}
