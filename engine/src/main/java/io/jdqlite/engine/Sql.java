package io.jdqlite.engine;

import org.sqlite.SQLiteException;
import org.sqlite.core.CoreStatement;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JDBC plumbing between sqlite-jdbc and the engine's value model. */
final class Sql {
    private static final Pattern SQLITE_MESSAGE = Pattern.compile("^\\[[A-Z_]+\\]\\s+.*?\\((.*)\\)$", Pattern.DOTALL);

    private Sql() {
    }

    static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        int expected = ps.getParameterMetaData().getParameterCount();
        if (params.size() > expected) {
            throw new EngineException(ErrorCodes.SQLITE_RANGE,
                    "column index out of range (" + params.size() + " parameters for " + expected + " placeholders)");
        }
        for (int i = 0; i < params.size(); i++) {
            Object v = params.get(i);
            int idx = i + 1;
            if (v == null) {
                ps.setNull(idx, Types.NULL);
            } else if (v instanceof Long l) {
                ps.setLong(idx, l);
            } else if (v instanceof Integer n) {
                ps.setLong(idx, n);
            } else if (v instanceof Double d) {
                ps.setDouble(idx, d);
            } else if (v instanceof Float f) {
                ps.setDouble(idx, f);
            } else if (v instanceof String s) {
                ps.setString(idx, s);
            } else if (v instanceof byte[] b) {
                ps.setBytes(idx, b);
            } else if (v instanceof Boolean b) {
                ps.setLong(idx, b ? 1 : 0);
            } else {
                throw new EngineException(ErrorCodes.SQLITE_MISUSE, "unsupported parameter type " + v.getClass().getName());
            }
        }
    }

    /**
     * Reads every row; values keep SQLite's storage class. Past {@code maxBytes} of heap the rows go to a file
     * opened by {@code spills} (the caller closes the result to delete it).
     */
    static QueryResult readRows(PreparedStatement ps, ResultSet rs, long maxBytes, SpilledRows.Factory spills)
            throws SQLException {
        if (rs == null) {
            return QueryResult.empty();
        }
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> names = new ArrayList<>(n);
        List<String> decl = new ArrayList<>(n);
        CoreStatement core = (CoreStatement) ps;
        for (int c = 1; c <= n; c++) {
            names.add(md.getColumnLabel(c));
            final int col = c - 1;
            decl.add(core.pointer.safeRun((db, ptr) -> db.column_decltype(ptr, col)));
        }
        List<Object[]> rows = new ArrayList<>();
        long bytes = 0;
        SpilledRows spill = null;
        try {
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int c = 0; c < n; c++) {
                    Object v = rs.getObject(c + 1);
                    if (v instanceof Integer i) {
                        v = i.longValue();
                    }
                    row[c] = v;
                    bytes += heapSizeOf(v);
                }
                bytes += ROW_OVERHEAD + 8L * n;
                if (spill != null) {
                    spill.add(row);
                    continue;
                }
                rows.add(row);
                if (bytes > maxBytes) {
                    spill = spills.open(n);
                    for (Object[] r : rows) {
                        spill.add(r);
                    }
                    rows = null; // the heap's share goes now, not when the result does
                }
            }
            if (spill == null) {
                return new QueryResult(names, decl, rows);
            }
            spill.finish();
            return QueryResult.spilled(names, decl, spill);
        } catch (java.io.IOException e) {
            if (spill != null) {
                spill.close();
            }
            throw new EngineException(ErrorCodes.SQLITE_IOERR, "cannot spill a query result to disk: " + e.getMessage(), e);
        } catch (SQLException | RuntimeException e) {
            if (spill != null) {
                spill.close();
            }
            throw e;
        }
    }

    /** An Object[] row's header plus its slot in the result list. */
    private static final long ROW_OVERHEAD = 16 + 8;

    /** What a value costs on the heap (object headers included), so the limit bounds real memory. */
    private static long heapSizeOf(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof String s) {
            return 24 + 16 + s.length() * 2L;
        }
        if (v instanceof byte[] b) {
            return 16 + b.length;
        }
        return 16;
    }

    /** The SQLite result code and message of a sqlite-jdbc failure, as dqlite would report them. */
    static EngineException translate(SQLException e) {
        int code = ErrorCodes.SQLITE_ERROR;
        if (e instanceof SQLiteException se) {
            code = se.getResultCode().code;
        } else if (e.getErrorCode() != 0) {
            code = e.getErrorCode();
        }
        String msg = e.getMessage() == null ? "SQL error" : e.getMessage();
        Matcher m = SQLITE_MESSAGE.matcher(msg);
        if (m.matches()) {
            msg = m.group(1);
        }
        return new EngineException(code, msg, e);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
