package io.jdqlite.cli.shell;

import io.jdqlite.client.DqliteClient;
import io.jdqlite.client.DqliteConnection;
import io.jdqlite.client.DqliteException;
import io.jdqlite.client.ExecResult;
import io.jdqlite.client.NodeInfo;
import io.jdqlite.client.NodeMetadata;
import io.jdqlite.client.Rows;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the shell does with one input (an SQL statement or a dot-command), independent of where input comes
 * from. Statements returning rows (SELECT, WITH, PRAGMA, EXPLAIN, VALUES) run as queries, the rest as exec.
 */
public final class Shell implements AutoCloseable {
    private final DqliteClient client;
    private final String database;
    private final PrintStream out;
    private final PrintStream err;
    private OutputFormat format;
    /** Read by {@link #interrupt} in another thread. */
    private volatile DqliteConnection connection;
    /** Ctrl-C during the current input: what has not run yet does not run. */
    private volatile boolean interrupted;
    /**
     * The thread looking for the leader (connecting, .cluster, .leader...) or waiting for a dump: Ctrl-C
     * interrupts it, which ends the client's wait between two attempts, or for the dump to start. Set and
     * cleared under searchLock, so no interrupt reaches the thread once it has left the wait.
     */
    private final Object searchLock = new Object();
    private Thread searching;

    public Shell(DqliteClient client, String database, OutputFormat format, PrintStream out, PrintStream err) {
        this.client = client;
        this.database = database;
        this.format = format;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs one input: a dot-command, or SQL text with one or more statements, run one by one up to the first
     * that fails. False when something failed (the error is printed).
     */
    public boolean run(String input) {
        interrupted = false;
        String line = input.trim();
        if (line.isEmpty()) {
            return true;
        }
        try {
            if (line.startsWith(".")) {
                dotCommand(line);
            } else {
                for (String statement : SqlText.split(line)) {
                    sql(statement);
                }
            }
            return true;
        } catch (Stopped e) {
            err.println("Error: interrupted");
            return false;
        } catch (DqliteException e) {
            err.println("Error: " + e.getMessage());
            if (connection != null && connection.isClosed()) {
                connection = null;
            }
            return false;
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            return false;
        } catch (IOException | RuntimeException e) {
            err.println("Error: " + e);
            if (connection != null && connection.isClosed()) {
                connection = null;
            }
            return false;
        } finally {
            out.flush();
        }
    }

    /**
     * Ctrl-C, from another thread while {@link #run} runs: stops the statement running (the node stops working
     * on it: the connection sends INTERRUPT), and what follows it in the same input. The statement fails with
     * "Error: interrupted"; the next input runs as usual, on the same connection or, if the node did not
     * confirm the interrupt in time, a new one. While the shell looks for a leader (connecting, .cluster,
     * .leader), Ctrl-C ends the search within a quarter second, also in a connect that gets no answer.
     */
    public void interrupt() {
        interrupted = true;
        synchronized (searchLock) {
            if (searching != null) {
                searching.interrupt();
                return;
            }
        }
        DqliteConnection c = connection;
        if (c != null) {
            c.interrupt();
        }
    }

    private interface Search<T> {
        T run() throws DqliteException;
    }

    private interface Wait<T> {
        T run() throws DqliteException, IOException;
    }

    /** Runs a client call that looks for the leader (and retries until its timeout) so that Ctrl-C ends it. */
    private <T> T searching(Search<T> call) throws DqliteException {
        try {
            return interruptibly(call::run);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a Search throws none
        }
    }

    /**
     * Runs a client call whose waits end when its thread is interrupted (the leader search, the wait for a
     * dump to start), so that Ctrl-C ends it: whatever it then fails with becomes "interrupted".
     */
    private <T> T interruptibly(Wait<T> call) throws DqliteException, IOException {
        checkInterrupted();
        synchronized (searchLock) {
            searching = Thread.currentThread();
        }
        try {
            return call.run();
        } catch (DqliteException | IOException e) {
            if (interrupted) {
                throw new Stopped();
            }
            throw e;
        } finally {
            synchronized (searchLock) {
                searching = null;
                Thread.interrupted(); // an interrupt that came too late to matter
            }
        }
    }

    /** Thrown where the shell notices a Ctrl-C between requests (between statements, or while printing rows). */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("interrupted", null, false, false);
        }
    }

    private void checkInterrupted() {
        if (interrupted) {
            throw new Stopped();
        }
    }

    /** True for ".quit"/".exit". */
    public static boolean isQuit(String line) {
        String t = line.trim();
        return t.equals(".quit") || t.equals(".exit");
    }

    private DqliteConnection connection() throws DqliteException {
        checkInterrupted(); // every request of an input starts here
        if (connection == null || connection.isClosed()) {
            connection = searching(() -> client.open(database));
        }
        return connection;
    }

    static boolean returnsRows(String sql) {
        return SqlText.returnsRows(sql);
    }

    /** Runs one statement (without its ';'). */
    private void sql(String s) throws DqliteException {
        if (returnsRows(s)) {
            try (Rows r = connection().query(s)) {
                List<String> columns = r.columns();
                if (columns.isEmpty()) { // e.g. PRAGMA foreign_keys=OFF, WITH ... INSERT: no rows to show
                    if (format == OutputFormat.TABLE) {
                        out.println("OK");
                    }
                    return;
                }
                OutputFormat.Printer printer = format.printer(out, columns);
                while (r.next()) {
                    checkInterrupted(); // rows already read may be many: stop printing them too
                    List<Object> row = new ArrayList<>(columns.size());
                    for (int i = 0; i < columns.size(); i++) {
                        row.add(r.get(i));
                    }
                    printer.row(row);
                }
                printer.finish();
            }
        } else {
            ExecResult r = connection().exec(s);
            if (format == OutputFormat.TABLE) {
                out.println(SqlText.changesRows(s)
                        ? "OK (" + r.rowsAffected() + " rows affected, last insert id " + r.lastInsertId() + ")" : "OK");
            }
        }
    }

    private record Result(List<String> columns, List<List<Object>> rows) {
    }

    private Result columnsAndRows(String sql, Object... params) throws DqliteException {
        List<List<Object>> rows = new ArrayList<>();
        List<String> columns;
        try (Rows r = connection().query(sql, params)) {
            columns = r.columns();
            while (r.next()) {
                List<Object> row = new ArrayList<>(columns.size());
                for (int i = 0; i < columns.size(); i++) {
                    row.add(r.get(i));
                }
                rows.add(row);
            }
        }
        return new Result(columns, rows);
    }

    private void dotCommand(String line) throws DqliteException, IOException {
        String[] parts = line.split("\\s+");
        switch (parts[0]) {
            case ".help" -> {
                arguments(parts, 0, ".help");
                out.print(HELP);
            }
            case ".cluster" -> {
                arguments(parts, 0, ".cluster");
                List<List<Object>> rows = new ArrayList<>();
                for (NodeInfo n : searching(client::cluster)) {
                    rows.add(List.of(Long.toUnsignedString(n.id()), n.address(), n.role().name().toLowerCase(Locale.ROOT)));
                }
                out.print(format.render(List.of("id", "address", "role"), rows));
            }
            case ".leader" -> {
                arguments(parts, 0, ".leader");
                NodeInfo l = searching(client::leader);
                out.println(l.address());
            }
            case ".remove" -> {
                String address = arguments(parts, 1, ".remove <address>")[0];
                NodeInfo member = searching(client::cluster).stream().filter(n -> n.address().equals(address)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no member has address " + address + " (see .cluster)"));
                client.remove(member.id());
                out.println("removed " + Long.toUnsignedString(member.id()) + " (" + address + ")");
            }
            case ".describe" -> {
                String address = arguments(parts, 1, ".describe <address>")[0];
                NodeMetadata m = client.describe(address);
                out.print(format.render(List.of("address", "failure_domain", "weight"),
                        List.of(List.<Object>of(address, m.failureDomain(), m.weight()))));
            }
            case ".weight" -> {
                String[] args = arguments(parts, 2, ".weight <address> <n>");
                String address = args[0];
                String n = args[1];
                long weight;
                try {
                    weight = Long.parseLong(n);
                } catch (NumberFormatException e) {
                    weight = -1;
                }
                if (weight < 0) {
                    throw new IllegalArgumentException("bad weight '" + n + "': a non-negative number (.weight <address> <n>)");
                }
                client.weight(address, weight);
                out.println("weight of " + address + " set to " + weight);
            }
            case ".tables" -> {
                arguments(parts, 0, ".tables");
                Result r = columnsAndRows("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND " + USER
                        + " ORDER BY name");
                r.rows().forEach(row -> out.println(row.get(0)));
            }
            case ".schema" -> {
                String[] args = optional(parts, ".schema [table]");
                Result r = args.length > 0
                        ? columnsAndRows("SELECT sql FROM sqlite_master WHERE tbl_name = ? COLLATE NOCASE AND sql IS NOT NULL ORDER BY rowid", args[0])
                        : columnsAndRows("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND " + USER + " ORDER BY rowid");
                r.rows().forEach(row -> out.println(row.get(0) + ";"));
            }
            case ".dump" -> {
                String[] args = optional(parts, ".dump [file]");
                if (args.length == 0) {
                    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                    dump(w, null, false);
                    w.flush();
                } else {
                    SqlDump.Counts counts = dumpToFile(Path.of(args[0]));
                    out.println("dumped " + database + " to " + args[0] + " (" + counts.tables() + " tables, " + counts.rows() + " rows)");
                }
            }
            case ".backup" -> backup(Path.of(arguments(parts, 1, ".backup <file>")[0]));
            case ".mode" -> {
                String[] args = optional(parts, ".mode [table|json|csv]");
                if (args.length == 0) {
                    out.println(format.name().toLowerCase(Locale.ROOT));
                } else {
                    format = OutputFormat.parse(args[0]);
                }
            }
            default -> throw new IllegalArgumentException("unknown command " + parts[0] + " (try .help)");
        }
    }

    /** The {@code count} arguments of a dot-command, or a usage error. */
    private static String[] arguments(String[] parts, int count, String usage) {
        if (parts.length != count + 1) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return Arrays.copyOfRange(parts, 1, parts.length);
    }

    /** At most one argument of a dot-command (none or the one), or a usage error. */
    private static String[] optional(String[] parts, String usage) {
        if (parts.length > 2) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return Arrays.copyOfRange(parts, 1, parts.length);
    }

    /** Objects of the user's, not SQLite's own. */
    private static final String USER = SqlDump.USER_OBJECTS;

    /**
     * One snapshot of the database, fetched from the leader to a local file, whatever its size, with progress
     * on stderr for a long transfer; Ctrl-C stops it. The file goes to a temporary directory under {@code near}
     * (where its result is going: the disk that has room for it), or the system's when null.
     */
    private LocalSnapshot snapshot(Path near) throws DqliteException, IOException {
        checkInterrupted();
        TransferProgress progress = new TransferProgress(err, "fetching " + database);
        // Interruptible: the node copies the whole database before its answer starts.
        return interruptibly(() -> LocalSnapshot.fetch(client, database, near, (received, total) -> {
            checkInterrupted();
            progress.received(received, total);
        }));
    }

    private SqlDump.Counts dumpToFile(Path file) throws DqliteException, IOException {
        return writeAtomically(file, tmp -> {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                return dump(w, tmp.getParent(), true);
            }
        });
    }

    private interface FileWriting<T> {
        T writeTo(Path tmp) throws DqliteException, IOException;
    }

    /** Writes {@code file} through a temporary sibling moved into place: never a half-written file. */
    private static <T> T writeAtomically(Path file, FileWriting<T> writing) throws DqliteException, IOException {
        Path absolute = file.toAbsolutePath();
        Path tmp = absolute.resolveSibling(absolute.getFileName() + ".part");
        T result;
        try {
            Files.deleteIfExists(tmp);
            result = writing.writeTo(tmp);
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        } catch (DqliteException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return result;
    }

    /**
     * Writes the database as SQL text (see {@link SqlDump}) from one snapshot of it, fetched with DUMP. With
     * {@code progress}, reports every 100,000 rows.
     */
    SqlDump.Counts dump(Writer w, Path near, boolean progress) throws DqliteException, IOException {
        LocalSnapshot snapshot = snapshot(near);
        try (snapshot) {
            return new SqlDump(stoppable(snapshot.source()), database, progress ? err : null).writeTo(w);
        } catch (SQLException e) {
            throw new IOException("cannot read the dump of " + database + ": " + e.getMessage(), e);
        }
    }

    /** A dump stops at the next row once Ctrl-C was pressed (a local snapshot has no statement to interrupt). */
    private SqlDump.Source stoppable(SqlDump.Source source) {
        return (sql, params, rows) -> source.forEachRow(sql, params, row -> {
            checkInterrupted();
            rows.accept(row);
        });
    }

    /**
     * Writes one consistent SQLite file of the database, as sqlite3's {@code .backup} does: fetched into a
     * temporary directory beside {@code file} and moved into place once complete, so the disk holds one copy
     * of the database, never a half-written file.
     */
    private void backup(Path file) throws DqliteException, IOException {
        Path target = file.toAbsolutePath();
        LocalSnapshot snapshot;
        try {
            snapshot = snapshot(target.getParent());
        } catch (java.nio.file.FileSystemException e) { // no such directory, no permission
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        long bytes;
        try (snapshot) {
            bytes = snapshot.moveTo(target);
        } catch (SQLException | IOException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        out.println("backed up " + database + " to " + file + " (" + bytes + " bytes)");
    }

    static final String HELP = """
            SQL statements end with ';' (they may span lines). Statements returning rows print them.
            .cluster          members with their roles
            .leader           the leader's address
            .remove ADDRESS   remove the member at ADDRESS from the cluster
            .describe ADDRESS failure domain and weight of the node at ADDRESS
            .weight ADDRESS N set the weight of the node at ADDRESS
            .tables           tables and views of the database
            .schema [TABLE]   CREATE statements
            .dump [FILE]      the database as SQL text (loadable by sqlite3), from one snapshot
            .backup FILE      the database as one SQLite file, from one snapshot
            .mode [table|json|csv]   output format
            .help             this text
            .quit             leave
            """;

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
