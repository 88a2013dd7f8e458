package io.jdqlite.client;

import io.jdqlite.wire.FilesStream;
import io.jdqlite.wire.ProtocolException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the FILES answer to a DUMP from the socket to disk a buffer at a time: the database to the caller's
 * file, its WAL next to it as SQLite names it ({@code file + "-wal"}). The names the node sends must be the
 * database's and its WAL's, and are never used as paths. The files are written under ".part" names, synced,
 * and renamed only once the whole answer has arrived, so a transfer broken off leaves nothing that looks
 * complete.
 */
final class DumpReceiver {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final Transport transport;
    private final String database;
    private final FilesStream.Reader reader;
    private final DumpProgress progress;
    private final byte[] buffer = new byte[BUFFER_BYTES];

    private DumpReceiver(Transport transport, String database, long length, DumpProgress progress) {
        this.transport = transport;
        this.database = database;
        this.reader = new FilesStream.Reader(transport.body(), length);
        this.progress = progress;
    }

    /**
     * Reads the body of {@code length} bytes that {@code transport} has announced ({@link Transport#receiveStreamed})
     * into {@code file} and its WAL; returns the files written (the database, and its WAL unless empty).
     */
    static List<DumpedFile> receive(Transport transport, long length, String database, Path file, DumpProgress progress)
            throws DqliteException, IOException {
        return new DumpReceiver(transport, database, length, progress).into(file);
    }

    private List<DumpedFile> into(Path file) throws DqliteException, IOException {
        Path[] targets = {file, file.resolveSibling(file.getFileName() + "-wal")};
        Path[] parts = {part(targets[0]), part(targets[1])};
        String[] names = {database, database + "-wal"};
        boolean complete = false;
        try {
            int count = fromSocket(reader::count);
            if (count < 1 || count > 2) {
                throw malformed(count + " files, where a dump has the database and its WAL");
            }
            List<DumpedFile> written = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                FilesStream.Entry entry = fromSocket(reader::next);
                if (!entry.name().equals(names[i])) {
                    throw malformed("file " + (i + 1) + " is named '" + entry.name() + "', where '" + names[i] + "' was expected");
                }
                if (i == 0 || entry.size() > 0) { // the database file always; so written[i] is in parts[i]
                    copyContent(parts[i]);
                    written.add(new DumpedFile(entry.name(), targets[i], entry.size()));
                }
            }
            fromSocket(() -> {
                reader.finish();
                return null;
            });
            progress.received(reader.position(), reader.length()); // all of it, framing included
            // A WAL left from an earlier copy goes first: SQLite would replay it over this database.
            Files.deleteIfExists(targets[1]);
            for (int i = 0; i < written.size(); i++) {
                Files.move(parts[i], targets[i], StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            complete = true;
            return written;
        } finally {
            if (!complete) {
                for (Path p : parts) {
                    deleteQuietly(p);
                }
            }
        }
    }

    /** Content of the current file, from the socket to {@code part}. */
    private void copyContent(Path part) throws DqliteException, IOException {
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            while (true) {
                int n = fromSocket(() -> reader.read(buffer, 0, buffer.length));
                if (n < 0) {
                    break;
                }
                ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                progress.received(reader.position(), reader.length());
            }
            out.force(true);
        } catch (IOException e) {
            throw new IOException("cannot write " + part + ": " + e.getMessage(), e);
        }
    }

    private interface SocketRead<T> {
        T read() throws IOException;
    }

    /** A read from the socket: its failures are the connection's (told apart from the local file's). */
    private <T> T fromSocket(SocketRead<T> read) throws DqliteException {
        try {
            return read.read();
        } catch (IOException e) {
            transport.close();
            throw DqliteException.connection("the dump of " + database + " broke off after " + reader.position() + " of "
                    + reader.length() + " bytes: " + transport.problem(e), false, e);
        } catch (ProtocolException e) {
            throw malformed(e.getMessage());
        }
    }

    private DqliteException malformed(String problem) {
        transport.close(); // the rest of the answer is unread
        return DqliteException.connection("malformed dump of " + database + " from " + transport.address() + ": " + problem,
                false, null);
    }

    private static Path part(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stray .part file; the next dump to the same file replaces it
        }
    }
}
