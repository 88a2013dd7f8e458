package io.jdqlite.cli.shell;

import io.jdqlite.client.DqliteClient;
import io.jdqlite.client.DqliteException;
import io.jdqlite.client.DumpProgress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A database's committed state, fetched from the leader in one piece (DUMP) and opened here with SQLite:
 * everything read from it belongs to one and the same moment, whatever the cluster writes meanwhile. Lives
 * in a private temporary directory that {@link #close()} removes.
 */
final class LocalSnapshot implements AutoCloseable {
    private final Path dir;
    private final Connection connection;

    private LocalSnapshot(Path dir, Connection connection) {
        this.dir = dir;
        this.connection = connection;
    }

    /**
     * Fetches {@code database}, of any size, into a private temporary directory under {@code parent} (the
     * system's temporary directory when null): the answer goes to disk as it arrives (see
     * {@link DqliteClient#dump(String, Path, DumpProgress)}).
     */
    static LocalSnapshot fetch(DqliteClient client, String database, Path parent, DumpProgress progress)
            throws DqliteException, IOException {
        Path dir = parent == null ? Files.createTempDirectory("jdqlite-snapshot")
                : Files.createTempDirectory(parent, ".jdqlite-snapshot");
        try {
            Path main = dir.resolve(MAIN);
            client.dump(database, main, progress);
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + main);
            return new LocalSnapshot(dir, c);
        } catch (DqliteException | IOException | RuntimeException e) {
            deleteRecursively(dir);
            throw e;
        } catch (SQLException e) {
            deleteRecursively(dir);
            throw new IOException("cannot open the dump of " + database + ": " + e.getMessage(), e);
        }
    }

    private static final String MAIN = "snapshot.db";

    /** Reads this snapshot: the values as SQLite gives them (integers, reals, text, blobs, nulls). */
    SqlDump.Source source() {
        return (sql, params, rows) -> {
            try (PreparedStatement s = connection.prepareStatement(sql)) {
                for (int i = 0; i < params.size(); i++) {
                    s.setObject(i + 1, params.get(i));
                }
                try (ResultSet r = s.executeQuery()) {
                    int n = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        List<Object> row = new ArrayList<>(n);
                        for (int i = 1; i <= n; i++) {
                            row.add(r.getObject(i));
                        }
                        rows.accept(row);
                    }
                }
            }
        };
    }

    /**
     * Makes the snapshot one standalone SQLite file, as sqlite3's {@code .backup} writes it (the WAL folded
     * in, rollback journal mode), and moves it to {@code file}, replacing what is there. Done in place: no
     * second copy of the database, so the snapshot should have been fetched beside {@code file} (a rename,
     * not a copy). The snapshot is of no further use. Returns the file's size.
     */
    long moveTo(Path file) throws SQLException, IOException {
        try (java.sql.Statement s = connection.createStatement()) {
            try (ResultSet r = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                if (!r.next() || r.getInt(1) != 0) {
                    throw new SQLException("the snapshot's WAL could not be folded into its database file");
                }
            }
            try (ResultSet r = s.executeQuery("PRAGMA journal_mode=DELETE")) {
                if (!r.next() || !"delete".equalsIgnoreCase(r.getString(1))) {
                    throw new SQLException("the snapshot could not leave WAL mode");
                }
            }
        }
        connection.close();
        Path main = dir.resolve(MAIN);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(main, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        // The journals of a database replaced here would be taken for the new file's (a hot rollback journal
        // would even be played back into it).
        for (String journal : new String[] {"-wal", "-shm", "-journal"}) {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + journal));
        }
        Files.move(main, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return Files.size(file);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // a local read-only use: nothing to lose
        }
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the system cleans it up eventually
        }
    }
}
