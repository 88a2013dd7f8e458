package io.jdqlite.engine;

/** One file of a DUMP: a database's main file or its WAL, holding committed data only. */
public record DumpFile(String name, byte[] content) {
}
