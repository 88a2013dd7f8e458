package io.jdqlite.client;

/** Hears how far the answer to {@link DqliteClient#dump(String, java.nio.file.Path, DumpProgress)} has arrived. */
@FunctionalInterface
public interface DumpProgress {
    /** Hears nothing. */
    DumpProgress NONE = (received, total) -> { };

    /**
     * {@code received} bytes of the node's answer, of {@code total}, have arrived and are written; called for every
     * buffer. Throwing stops the transfer (the exception goes to the caller, and no file is left).
     */
    void received(long received, long total);
}
