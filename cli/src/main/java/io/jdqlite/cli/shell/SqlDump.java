package io.jdqlite.cli.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a database's schema and rows as SQL text that sqlite3 (or this shell) loads, in the order the
 * objects were created. Values are SQLite's quote() of the stored value, so nothing is lost to dqlite's
 * BOOLEAN/DATETIME typing; generated columns are left to be computed again, a virtual table gets its rows
 * (not its shadow tables); AUTOINCREMENT counters are kept. The rows come from a {@link Source}: a local
 * snapshot of the whole database, or the cluster table by table.
 */
final class SqlDump {
    /** Where the dump reads from: runs a query and hands over its rows one by one. */
    interface Source {
        void forEachRow(String sql, List<Object> params, RowConsumer rows) throws SQLException, IOException;
    }

    interface RowConsumer {
        void accept(List<Object> row) throws IOException;
    }

    record Counts(long tables, long rows) {
    }

    /** Objects of the user's, not SQLite's own (sqlite_*; '_' escaped: it is a LIKE wildcard). */
    static final String USER_OBJECTS = "name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
    private static final long PROGRESS_EVERY = 100_000;

    private final Source source;
    private final String database;
    /** Where progress goes, or null for none. */
    private final PrintStream progress;

    SqlDump(Source source, String database, PrintStream progress) {
        this.source = source;
        this.database = database;
        this.progress = progress;
    }

    Counts writeTo(Writer w) throws SQLException, IOException {
        long tableCount = 0;
        long[] rowCount = {0};
        w.write("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n");
        // Shadow tables (a virtual table's storage) are made again by its CREATE VIRTUAL TABLE.
        List<List<Object>> tables = all("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL AND "
                + USER_OBJECTS + " AND name NOT IN (SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow')"
                + " ORDER BY rowid");
        for (List<Object> t : tables) {
            String name = String.valueOf(t.get(0));
            String table = SqlLiterals.identifier(name);
            w.write(t.get(1) + ";\n");
            tableCount++;
            List<String> columns = new ArrayList<>();
            for (List<Object> c : all("SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid", name)) {
                columns.add(SqlLiterals.identifier(String.valueOf(c.get(0))));
            }
            if (columns.isEmpty()) {
                continue;
            }
            String select = "SELECT " + String.join(", ", columns.stream().map(c -> "quote(" + c + ")").toList())
                    + " FROM " + table;
            String insert = "INSERT INTO " + table + "(" + String.join(",", columns) + ") VALUES(";
            source.forEachRow(select, List.of(), row -> {
                StringBuilder b = new StringBuilder(insert);
                for (int i = 0; i < row.size(); i++) {
                    b.append(i == 0 ? "" : ",").append(row.get(i));
                }
                w.write(b.append(");\n").toString());
                if (++rowCount[0] % PROGRESS_EVERY == 0 && progress != null) {
                    progress.println("dumping " + database + ": " + rowCount[0] + " rows so far (table " + name + ")");
                }
            });
        }
        List<List<Object>> sequence = all("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'");
        if (((Number) sequence.get(0).get(0)).longValue() > 0) {
            w.write("DELETE FROM sqlite_sequence;\n");
            source.forEachRow("SELECT quote(name), quote(seq) FROM sqlite_sequence", List.of(),
                    row -> w.write("INSERT INTO sqlite_sequence(name,seq) VALUES(" + row.get(0) + "," + row.get(1) + ");\n"));
        }
        for (List<Object> o : all("SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL"
                + " ORDER BY rowid")) {
            w.write(o.get(0) + ";\n");
        }
        w.write("COMMIT;\n");
        return new Counts(tableCount, rowCount[0]);
    }

    private List<List<Object>> all(String sql, Object... params) throws SQLException, IOException {
        List<List<Object>> rows = new ArrayList<>();
        source.forEachRow(sql, List.of(params), rows::add);
        return rows;
    }
}
