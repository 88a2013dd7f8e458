package io.jdqlite.jdbc;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Conversions of SQLite values for ResultSet getters, the way sqlite-jdbc does them. */
final class Values {
    private Values() {
    }

    static long toLong(Object v) {
        if (v == null) {
            return 0;
        } else if (v instanceof Long l) {
            return l;
        } else if (v instanceof Double d) {
            return d.longValue();
        } else if (v instanceof Boolean b) {
            return b ? 1 : 0;
        } else if (v instanceof byte[]) {
            return 0;
        }
        return leadingNumber(v.toString()).longValue();
    }

    static double toDouble(Object v) {
        if (v == null) {
            return 0;
        } else if (v instanceof Number n) {
            return n.doubleValue();
        } else if (v instanceof Boolean b) {
            return b ? 1 : 0;
        } else if (v instanceof byte[]) {
            return 0;
        }
        return leadingNumber(v.toString()).doubleValue();
    }

    /** SQLite's text-to-number rule: the longest numeric prefix, else 0. */
    private static BigDecimal leadingNumber(String s) {
        String t = s.trim();
        int end = 0;
        boolean digits = false;
        boolean dot = false;
        boolean exp = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isDigit(c)) {
                digits = true;
                end = i + 1;
            } else if ((c == '-' || c == '+') && (i == 0 || (exp && (t.charAt(i - 1) == 'e' || t.charAt(i - 1) == 'E')))) {
                continue;
            } else if (c == '.' && !dot && !exp) {
                dot = true;
            } else if ((c == 'e' || c == 'E') && digits && !exp) {
                exp = true;
            } else {
                break;
            }
        }
        if (!digits) {
            return BigDecimal.ZERO;
        }
        try {
            return new BigDecimal(t.substring(0, end));
        } catch (NumberFormatException e) {
            return BigDecimal.ZERO;
        }
    }

    static String toText(Object v) {
        if (v == null) {
            return null;
        } else if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        } else if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return d.toString();
        }
        return v.toString();
    }

    static byte[] toBytes(Object v) {
        if (v == null) {
            return null;
        } else if (v instanceof byte[] b) {
            return b;
        }
        return v.toString().getBytes(StandardCharsets.UTF_8);
    }

    static boolean toBoolean(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && s.equalsIgnoreCase("true")) {
            return true;
        }
        return toLong(v) != 0;
    }

    static BigDecimal toBigDecimal(Object v) {
        if (v == null) {
            return null;
        } else if (v instanceof Long l) {
            return BigDecimal.valueOf(l);
        } else if (v instanceof Double d) {
            return BigDecimal.valueOf(d);
        }
        try {
            return new BigDecimal(v.toString().trim());
        } catch (NumberFormatException e) {
            return leadingNumber(v.toString());
        }
    }

    /** Dates: ISO-8601 text (with a space or T) or unix milliseconds, as sqlite-jdbc reads them. */
    static Timestamp toTimestamp(Object v) throws SQLException {
        if (v == null) {
            return null;
        } else if (v instanceof Long l) {
            return new Timestamp(l);
        } else if (v instanceof Double d) {
            return new Timestamp(d.longValue());
        }
        String s = v.toString().trim().replace(' ', 'T');
        try {
            if (s.length() == 10) {
                return Timestamp.valueOf(LocalDate.parse(s).atStartOfDay());
            }
            if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return Timestamp.from(OffsetDateTime.parse(s).toInstant());
            }
            return Timestamp.valueOf(LocalDateTime.parse(s));
        } catch (DateTimeParseException e) {
            throw new SQLException("not a date/time: '" + v + "'", e);
        }
    }

    static Date toDate(Object v) throws SQLException {
        Timestamp t = toTimestamp(v);
        return t == null ? null : Date.valueOf(t.toLocalDateTime().toLocalDate());
    }

    static Time toTime(Object v) throws SQLException {
        if (v instanceof String s && s.trim().length() <= 12 && s.contains(":") && !s.contains("-")) {
            return Time.valueOf(LocalTime.parse(s.trim()));
        }
        Timestamp t = toTimestamp(v);
        return t == null ? null : Time.valueOf(t.toLocalDateTime().toLocalTime());
    }

    /** java.sql.Types of a value, for metadata. */
    static int sqlType(Object v) {
        if (v == null) {
            return Types.NULL;
        } else if (v instanceof Long) {
            return Types.BIGINT;
        } else if (v instanceof Double) {
            return Types.DOUBLE;
        } else if (v instanceof Boolean) {
            return Types.BOOLEAN;
        } else if (v instanceof byte[]) {
            return Types.BLOB;
        }
        return Types.VARCHAR;
    }

    /** java.sql.Types of a declared column type (SQLite affinity rules). */
    static int sqlTypeOfDeclared(String decl) {
        String d = decl == null ? "" : decl.toUpperCase(java.util.Locale.ROOT);
        if (d.contains("INT")) {
            return d.equals("INTEGER") ? Types.INTEGER : Types.BIGINT;
        } else if (d.contains("CHAR") || d.contains("CLOB") || d.contains("TEXT")) {
            return Types.VARCHAR;
        } else if (d.contains("BLOB") || d.isEmpty()) {
            return d.isEmpty() ? Types.OTHER : Types.BLOB;
        } else if (d.contains("REAL") || d.contains("FLOA") || d.contains("DOUB")) {
            return Types.DOUBLE;
        } else if (d.contains("BOOL")) {
            return Types.BOOLEAN;
        } else if (d.contains("DATE") || d.contains("TIME")) {
            return Types.TIMESTAMP;
        }
        return Types.NUMERIC;
    }
}
