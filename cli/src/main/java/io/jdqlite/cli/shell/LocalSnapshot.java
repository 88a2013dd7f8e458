package io.jdqlite.cli.shell;

import io.jdqlite.client.DqliteClient;
import io.jdqlite.client.DqliteException;
import io.jdqlite.client.DumpProgress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
     * Fetches {@code database}, of any size: the answer goes to disk as it arrives (see
     * {@link DqliteClient#dump(String, Path, DumpProgress)}).
     */
    static LocalSnapshot fetch(DqliteClient client, String database, DumpProgress progress)
            throws DqliteException, IOException {
        Path dir = Files.createTempDirectory("jdqlite-snapshot");
        try {
            Path main = dir.resolve("snapshot.db");
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

    /** Writes the snapshot as one compact SQLite file ({@code VACUUM INTO}); {@code file} must not exist. */
    void saveAs(Path file) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("VACUUM INTO ?")) {
            s.setString(1, file.toString());
            s.execute();
        }
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
