package io.jdqlite.cli.shell;

import io.jdqlite.client.DqliteClient;
import io.jdqlite.client.DqliteConnection;
import io.jdqlite.client.DqliteException;
import io.jdqlite.client.ExecResult;
import io.jdqlite.client.NodeInfo;
import io.jdqlite.client.NodeMetadata;
import io.jdqlite.client.Rows;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Runs one input; false when it failed (the error is printed). */
    public boolean run(String input) {
        String line = input.trim();
        if (line.isEmpty()) {
            return true;
        }
        try {
            if (line.startsWith(".")) {
                dotCommand(line);
            } else {
                sql(line);
            }
            return true;
        } catch (DqliteException e) {
            err.println("Error: " + e.getMessage());
            if (connection != null && connection.isClosed()) {
                connection = null;
            }
            return false;
        } catch (IllegalArgumentException | IOException e) {
            err.println("Error: " + e.getMessage());
            return false;
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
        String head = sql.stripLeading().toUpperCase(Locale.ROOT);
        return head.startsWith("SELECT") || head.startsWith("WITH") || head.startsWith("PRAGMA")
                || head.startsWith("EXPLAIN") || head.startsWith("VALUES");
    }

    private void sql(String sql) throws DqliteException {
        String s = sql.endsWith(";") ? sql.substring(0, sql.length() - 1) : sql;
        if (returnsRows(s)) {
            Result r = columnsAndRows(s);
            out.print(format.render(r.columns(), r.rows()));
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
            case ".help" -> out.print(HELP);
            case ".cluster" -> {
                List<List<Object>> rows = new ArrayList<>();
                for (NodeInfo n : client.cluster()) {
                    rows.add(List.of(Long.toUnsignedString(n.id()), n.address(), n.role().name().toLowerCase(Locale.ROOT)));
                }
                out.print(format.render(List.of("id", "address", "role"), rows));
            }
            case ".leader" -> {
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
                Result r = columnsAndRows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
                r.rows().forEach(row -> out.println(row.get(0)));
            }
            case ".schema" -> {
                Result r = parts.length > 1
                        ? columnsAndRows("SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type DESC, name", parts[1])
                        : columnsAndRows("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type DESC, name");
                r.rows().forEach(row -> out.println(row.get(0) + ";"));
            }
            case ".dump" -> {
                String dump = dump();
                if (parts.length > 1) {
                    Files.writeString(Path.of(parts[1]), dump);
                    out.println("dumped " + database + " to " + parts[1]);
                } else {
                    out.print(dump);
                }
            }
            case ".mode" -> {
                if (parts.length < 2) {
                    out.println(format.name().toLowerCase(Locale.ROOT));
                } else {
                    format = OutputFormat.parse(parts[1]);
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

    /** The schema and every row as SQL text that sqlite3 loads. */
    String dump() throws DqliteException {
        StringBuilder b = new StringBuilder("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n");
        Result tables = columnsAndRows("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
        for (List<Object> t : tables.rows()) {
            String name = (String) t.get(0);
            b.append(t.get(1)).append(";\n");
            try (Rows rows = connection().query("SELECT * FROM " + SqlLiterals.identifier(name))) {
                int n = rows.columns().size();
                while (rows.next()) {
                    b.append("INSERT INTO ").append(SqlLiterals.identifier(name)).append(" VALUES(");
                    for (int i = 0; i < n; i++) {
                        b.append(i == 0 ? "" : ",").append(SqlLiterals.of(rows.get(i)));
                    }
                    b.append(");\n");
                }
            }
        }
        Result others = columnsAndRows("SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL ORDER BY name");
        for (List<Object> o : others.rows()) {
            b.append(o.get(0)).append(";\n");
        }
        return b.append("COMMIT;\n").toString();
    }

    static final String HELP = """
            SQL statements end with ';' (they may span lines). Statements returning rows print them.
            .cluster          members with their roles
            .leader           the leader's address
            .remove ADDRESS   remove the member at ADDRESS from the cluster
            .describe ADDRESS failure domain and weight of the node at ADDRESS
            .weight ADDRESS N set the weight of the node at ADDRESS
            .tables           tables of the database
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
