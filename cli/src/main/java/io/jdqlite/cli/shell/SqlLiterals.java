package io.jdqlite.cli.shell;

import java.util.HexFormat;

/** Values as SQL literals, for .dump. */
final class SqlLiterals {
    private SqlLiterals() {
    }

    static String of(Object v) {
        if (v == null) {
            return "NULL";
        } else if (v instanceof byte[] b) {
            return "X'" + HexFormat.of().formatHex(b) + "'";
        } else if (v instanceof Boolean b) {
            return b ? "1" : "0";
        } else if (v instanceof Double d) {
            return d.isNaN() ? "NULL" : d.isInfinite() ? (d > 0 ? "1e999" : "-1e999") : d.toString();
        } else if (v instanceof Number n) {
            return n.toString();
        }
        return "'" + v.toString().replace("'", "''") + "'";
    }

    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
