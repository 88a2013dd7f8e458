package io.jdqlite.engine;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The rows of a query result too large for the heap, in a file of the data directory, written once as the
 * statement steps and then read back row by row as the client takes pages. So a result of any size costs
 * the leader bounded memory, and the read connection is free again once the statement is done, however
 * slowly the client reads (dqlite keeps its statement open instead). The disk it takes is claimed from
 * {@link DiskReserve} as it grows, so a runaway result fails with SQLITE_FULL before the Raft log runs out of room.
 *
 * <p>Each value: a tag byte (null, integer, real, text, blob), then the value (8 bytes, or a length and the bytes).
 */
final class SpilledRows implements AutoCloseable {
    static final String PREFIX = "result";
    static final String SUFFIX = ".tmp";
    /** Disk claimed at a time, so that claims stay few while the file grows. */
    static final long CLAIM_STEP = 64L << 20;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final byte NULL = 0;
    private static final byte INTEGER = 1;
    private static final byte REAL = 2;
    private static final byte TEXT = 3;
    private static final byte BLOB = 4;

    /** Opens the spill of a result with the given number of columns. */
    interface Factory {
        SpilledRows open(int columns);
    }

    private final Path file;
    private final int columns;
    private final DiskReserve space;
    private final String what;
    private final List<DiskReserve.Claim> claims = new ArrayList<>();
    private long claimedBytes;
    private long writtenBytes;
    private long rowCount;
    private DataOutputStream out;
    private DataInputStream in;
    private boolean closed;

    private SpilledRows(Path file, int columns, DiskReserve space, String what) throws IOException {
        this.file = file;
        this.columns = columns;
        this.space = space;
        this.what = what;
        this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER_BYTES));
    }

    /** A new spill file in {@code dir}, its disk claimed from {@code space}; SQLITE_IOERR when it cannot be made. */
    static SpilledRows create(Path dir, DiskReserve space, String database, int columns) {
        Path file = null;
        try {
            file = Files.createTempFile(dir, PREFIX, SUFFIX);
            return new SpilledRows(file, columns, space, "a query result of " + database + " spilled to disk");
        } catch (IOException e) {
            deleteQuietly(file);
            throw new EngineException(ErrorCodes.SQLITE_IOERR, "cannot spill a query result to disk: " + e.getMessage(), e);
        }
    }

    /** Appends a row of {@link QueryResult}'s value types; SQLITE_FULL once the disk reserve would be reached. */
    void add(Object[] row) throws IOException {
        long bytes = 0;
        for (Object v : row) {
            bytes += encodedSize(v);
        }
        while (writtenBytes + bytes > claimedBytes) {
            long step = Math.max(CLAIM_STEP, bytes);
            claims.add(space.claim(what, step));
            claimedBytes += step;
        }
        for (Object v : row) {
            write(v);
        }
        writtenBytes += bytes;
        rowCount++;
    }

    long rowCount() {
        return rowCount;
    }

    /**
     * Ends the writing. The claims go back: the file's bytes now show in the disk's free space itself (as a
     * finished dump copy's do).
     */
    void finish() throws IOException {
        out.close();
        out = null;
        claims.forEach(DiskReserve.Claim::close);
        claims.clear();
    }

    /** The rows, read from the file as they are taken (one pass). */
    Iterator<Object[]> reader() {
        if (out != null || in != null || closed) {
            throw new IllegalStateException("a spilled result is read once, after it is written");
        }
        try {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a spilled query result", e);
        }
        return new Iterator<>() {
            private long left = rowCount;

            @Override
            public boolean hasNext() {
                return left > 0 && !closed;
            }

            @Override
            public Object[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Object[] row = new Object[columns];
                try {
                    for (int c = 0; c < columns; c++) {
                        row[c] = read();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read a spilled query result", e);
                }
                left--;
                return row;
            }
        };
    }

    /** Deletes the file and gives its disk claims back; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(out);
        closeQuietly(in);
        deleteQuietly(file);
        claims.forEach(DiskReserve.Claim::close);
        claims.clear();
    }

    private static long encodedSize(Object v) {
        if (v instanceof String s) {
            return 1 + 4 + (long) s.length() * 3; // UTF-8 takes at most 3 bytes per UTF-16 unit
        }
        if (v instanceof byte[] b) {
            return 1 + 4 + b.length;
        }
        return v == null ? 1 : 9;
    }

    private void write(Object v) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof Long l) {
            out.writeByte(INTEGER);
            out.writeLong(l);
        } else if (v instanceof Double d) {
            out.writeByte(REAL);
            out.writeDouble(d);
        } else if (v instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.writeByte(TEXT);
            out.writeInt(utf8.length);
            out.write(utf8);
        } else if (v instanceof byte[] b) {
            out.writeByte(BLOB);
            out.writeInt(b.length);
            out.write(b);
        } else {
            throw new IllegalArgumentException("not a SQLite value: " + v.getClass().getName());
        }
    }

    private Object read() throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case NULL -> null;
            case INTEGER -> in.readLong();
            case REAL -> in.readDouble();
            case TEXT -> new String(readBytes(), StandardCharsets.UTF_8);
            case BLOB -> readBytes();
            default -> throw new IOException("corrupt spill file " + file + ": value tag " + tag);
        };
    }

    private byte[] readBytes() throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new EOFException("corrupt spill file " + file + ": length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception ignored) {
            // the file goes anyway
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            if (p != null) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // left for the next start's clean-up
        }
    }
}
