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
    private DqliteConnection connection;

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

    /** True for ".quit"/".exit". */
    public static boolean isQuit(String line) {
        String t = line.trim();
        return t.equals(".quit") || t.equals(".exit");
    }

    private DqliteConnection connection() throws DqliteException {
        if (connection == null || connection.isClosed()) {
            connection = client.open(database);
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
                if (columns.isEmpty()) {
                    return; // e.g. PRAGMA foreign_keys=OFF: nothing to show
                }
                OutputFormat.Printer printer = format.printer(out, columns);
                while (r.next()) {
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
                out.println("OK (" + r.rowsAffected() + " rows affected, last insert id " + r.lastInsertId() + ")");
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
                for (NodeInfo n : client.cluster()) {
                    rows.add(List.of(Long.toUnsignedString(n.id()), n.address(), n.role().name().toLowerCase(Locale.ROOT)));
                }
                out.print(format.render(List.of("id", "address", "role"), rows));
            }
            case ".leader" -> {
                arguments(parts, 0, ".leader");
                NodeInfo l = client.leader();
                out.println(l.address());
            }
            case ".remove" -> {
                String address = arguments(parts, 1, ".remove <address>")[0];
                NodeInfo member = client.cluster().stream().filter(n -> n.address().equals(address)).findFirst()
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
                    dump(w, false);
                    w.flush();
                } else {
                    dumpToFile(Path.of(args[0]));
                }
            }
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

    /** Objects of the user's, not SQLite's own (sqlite_*; '_' escaped: it is a LIKE wildcard). */
    private static final String USER = "name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";

    private void dumpToFile(Path file) throws DqliteException, IOException {
        Path absolute = file.toAbsolutePath();
        Path tmp = absolute.resolveSibling(absolute.getFileName() + ".part");
        long[] counts;
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            counts = dump(w, true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot write " + file + ": " + e, e);
        } catch (DqliteException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot write " + file + ": " + e, e);
        }
        out.println("dumped " + database + " to " + file + " (" + counts[0] + " tables, " + counts[1] + " rows)");
    }

    /**
     * Writes the schema and every row as SQL text that sqlite3 (or this shell) loads, in the order the objects
     * were created; values are SQLite's quote() of the stored value, so nothing is lost to dqlite's
     * BOOLEAN/DATETIME typing; generated columns are left to be computed again, a virtual table gets its rows (not its shadow tables); AUTOINCREMENT counters are kept.
     * Returns {tables, rows}; with {@code progress}, reports every 100,000 rows on the error stream.
     */
    long[] dump(Writer w, boolean progress) throws DqliteException, IOException {
        long tableCount = 0;
        long rowCount = 0;
        w.write("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n");
        // Shadow tables (a virtual table's storage) are made again by its CREATE VIRTUAL TABLE.
        Result tables = columnsAndRows("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL AND "
                + USER + " AND name NOT IN (SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow')"
                + " ORDER BY rowid");
        for (List<Object> t : tables.rows()) {
            String name = String.valueOf(t.get(0));
            String table = SqlLiterals.identifier(name);
            w.write(t.get(1) + ";\n");
            tableCount++;
            List<String> columns = new ArrayList<>();
            for (List<Object> c : columnsAndRows("SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid", name).rows()) {
                columns.add(SqlLiterals.identifier(String.valueOf(c.get(0))));
            }
            if (columns.isEmpty()) {
                continue;
            }
            String select = "SELECT " + String.join(", ", columns.stream().map(c -> "quote(" + c + ")").toList())
                    + " FROM " + table;
            String insert = "INSERT INTO " + table + "(" + String.join(",", columns) + ") VALUES(";
            try (Rows rows = connection().query(select)) {
                while (rows.next()) {
                    StringBuilder b = new StringBuilder(insert);
                    for (int i = 0; i < columns.size(); i++) {
                        b.append(i == 0 ? "" : ",").append(rows.get(i));
                    }
                    w.write(b.append(");\n").toString());
                    if (++rowCount % 100_000 == 0 && progress) {
                        err.println("dumping " + database + ": " + rowCount + " rows so far (table " + name + ")");
                    }
                }
            }
        }
        Result sequence = columnsAndRows("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'");
        if (((Number) sequence.rows().get(0).get(0)).longValue() > 0) {
            w.write("DELETE FROM sqlite_sequence;\n");
            try (Rows rows = connection().query("SELECT quote(name), quote(seq) FROM sqlite_sequence")) {
                while (rows.next()) {
                    w.write("INSERT INTO sqlite_sequence(name,seq) VALUES(" + rows.get(0) + "," + rows.get(1) + ");\n");
                }
            }
        }
        Result others = columnsAndRows("SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL"
                + " ORDER BY rowid");
        for (List<Object> o : others.rows()) {
            w.write(o.get(0) + ";\n");
        }
        w.write("COMMIT;\n");
        return new long[] {tableCount, rowCount};
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
            .dump [FILE]      the database as SQL text (loadable by sqlite3)
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
