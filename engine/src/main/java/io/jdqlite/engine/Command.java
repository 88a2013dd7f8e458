package io.jdqlite.engine;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The commands carried by Raft log entries (dqlite's FSM commands). Never SQL: only page images.
 *
 * <p>A transaction whose pages exceed one entry is split into parts with the same {@code txId}; only the
 * last part has {@code commit} set, and followers apply nothing of it before that part is committed.
 */
sealed interface Command permits Command.Frames, Command.Checkpoint {
    byte FRAMES = 1;
    byte CHECKPOINT = 2;

    String database();

    byte[] encode();

    static Command decode(ByteBuffer in) {
        try {
            byte type = in.get();
            return switch (type) {
                case FRAMES -> Frames.decodeBody(in);
                case CHECKPOINT -> new Checkpoint(readString(in), in.getLong(), in.getLong());
                default -> throw new IllegalArgumentException("unknown command type " + type);
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed log entry: " + e.getMessage(), e);
        }
    }

    /**
     * Page images of one (part of a) transaction.
     *
     * @param origin      node id of the leader that executed it
     * @param txId        leader-local transaction sequence number
     * @param part        0-based part number
     * @param commit      the last part: apply now
     * @param commitPages database size in pages after the commit (last part only)
     * @param pageNumbers 1-based page numbers, parallel to the images in {@code pages}
     */
    record Frames(String database, long origin, long txId, int part, boolean commit, int pageSize,
                  int commitPages, int[] pageNumbers, byte[] pages) implements Command {

        int pageCount() {
            return pageNumbers.length;
        }

        @Override
        public byte[] encode() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + pageNumbers.length * (4 + pageSize));
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(FRAMES);
                writeString(out, database);
                out.writeLong(origin);
                out.writeLong(txId);
                out.writeInt(part);
                out.writeBoolean(commit);
                out.writeInt(pageSize);
                out.writeInt(commitPages);
                out.writeInt(pageNumbers.length);
                for (int p : pageNumbers) {
                    out.writeInt(p);
                }
                out.write(pages);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        static Frames decodeBody(ByteBuffer in) {
            String db = readString(in);
            long origin = in.getLong();
            long txId = in.getLong();
            int part = in.getInt();
            boolean commit = in.get() != 0;
            int pageSize = in.getInt();
            int commitPages = in.getInt();
            int n = in.getInt();
            if (n < 0 || pageSize < 512 || pageSize > 65536 || (long) n * (4 + pageSize) > in.remaining()) {
                throw new IllegalArgumentException("bad frame count " + n + " / page size " + pageSize);
            }
            int[] pgnos = new int[n];
            for (int i = 0; i < n; i++) {
                pgnos[i] = in.getInt();
            }
            byte[] pages = new byte[n * pageSize];
            in.get(pages);
            return new Frames(db, origin, txId, part, commit, pageSize, commitPages, pgnos, pages);
        }
    }

    /** The leader checkpointed its WAL; {@code databaseBytes} is the file size every replica must have now. */
    record Checkpoint(String database, long origin, long databaseBytes) implements Command {
        @Override
        public byte[] encode() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(CHECKPOINT);
                writeString(out, database);
                out.writeLong(origin);
                out.writeLong(databaseBytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("bad string length " + n);
        }
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
