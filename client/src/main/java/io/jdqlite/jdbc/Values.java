package io.jdqlite.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.TimeZone;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conversions of the values the wire carries (Long, Double, String, byte[], Boolean, null) into what JDBC callers
 * ask for, following sqlite-jdbc and, underneath it, SQLite's own sqlite3_column_* conversion rules. The other
 * direction, parameters, is {@link Bindings}.
 */
final class Values {
    private Values() {
    }

    // ---- numbers ----

    /** sqlite3_column_int64: reals truncate and clamp, text and blobs read their integer prefix. */
    static long toLong(Object v) {
        if (v == null) {
            return 0;
        } else if (v instanceof Long l) {
            return l;
        } else if (v instanceof Double d) {
            return d.longValue(); // Java's cast clamps and maps NaN to 0, exactly as SQLite does
        } else if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return integerPrefix(text(v));
    }

    /** sqlite3_column_int: the 64-bit value truncated to its low 32 bits, as sqlite-jdbc's getInt returns it. */
    static int toInt(Object v) {
        return (int) toLong(v);
    }

    /** sqlite3_column_double: text and blobs read their longest numeric prefix. */
    static double toDouble(Object v) {
        if (v == null) {
            return 0;
        } else if (v instanceof Number n) {
            return n.doubleValue();
        } else if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return realPrefix(text(v));
    }

    /** Non-zero is true (like sqlite-jdbc), and so is the text 'true'. */
    static boolean toBoolean(Object v) {
        if (v instanceof Boolean b) {
            return b;
        } else if (v instanceof String s && s.trim().equalsIgnoreCase("true")) {
            return true;
        }
        return toLong(v) != 0;
    }

    /** sqlite-jdbc reads a BigDecimal from getString, so a REAL gives its 15-digit text: 0.1+0.2 is 0.3. */
    static BigDecimal toBigDecimal(Object v) throws SQLException {
        if (v == null) {
            return null;
        } else if (v instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        String s = toText(v);
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new SQLException("Bad value for type BigDecimal : " + s);
        }
    }

    /** sqlite3Atoi64: spaces, a sign, digits; anything after them is ignored, too large clamps. */
    private static long integerPrefix(String s) {
        int i = skipSpaces(s);
        boolean negative = i < s.length() && s.charAt(i) == '-';
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long sum = 0; // accumulated negatively so that Long.MIN_VALUE fits, as Long.parseLong does
        for (; i < s.length() && isDigit(s.charAt(i)); i++) {
            int digit = s.charAt(i) - '0';
            if (sum < limit / 10 || sum * 10 < limit + digit) {
                return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            sum = sum * 10 - digit;
        }
        return negative ? sum : -sum;
    }

    /** A decimal number as SQLite reads one: no hex, no "Inf", no "NaN". */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    /**
     * sqlite3AtoF: the longest prefix that reads as a number, else 0 ('-' alone gives -0.0, as in SQLite). Java's
     * parse is correctly rounded where SQLite's can be an ulp off (it reads '9e187' as 8.999999999999999E187).
     */
    private static double realPrefix(String s) {
        int start = skipSpaces(s);
        Matcher m = NUMBER.matcher(s).region(start, s.length());
        if (m.lookingAt()) {
            return Double.parseDouble(m.group());
        }
        return s.startsWith("-", start) ? -0.0 : 0.0;
    }

    /** The number a text spells in full (as NUMERIC affinity would store it: Long if it fits, else Double), or null. */
    private static Object numberSpelledBy(String s) {
        String t = s.trim();
        if (!NUMBER.matcher(t).matches()) {
            return null;
        }
        if (INTEGER.matcher(t).matches()) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException tooLarge) {
                return Double.parseDouble(t);
            }
        }
        return Double.parseDouble(t);
    }

    /** SQLite's isspace: space, \t, \n, \v, \f, \r. */
    private static int skipSpaces(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || (s.charAt(i) >= '\t' && s.charAt(i) <= '\r'))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // ---- text and bytes ----

    /** sqlite3_column_text: integers in decimal, reals as printf("%!.15g"), booleans (integers) as 1/0. */
    static String toText(Object v) {
        if (v == null) {
            return null;
        } else if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        } else if (v instanceof Double d) {
            return RealText.of(d);
        } else if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        return v.toString();
    }

    /** sqlite3_column_blob: a blob as is, anything else as the bytes of its text. */
    static byte[] toBytes(Object v) {
        if (v == null) {
            return null;
        } else if (v instanceof byte[] b) {
            return b;
        }
        return toText(v).getBytes(StandardCharsets.UTF_8);
    }

    /** What a value is for a blob-or-text conversion: blobs read as UTF-8 text, as SQLite reads them. */
    private static String text(Object v) {
        return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString();
    }

    // ---- dates ----

    /**
     * The moment a value stands for, as sqlite-jdbc reads it: an INTEGER is unix milliseconds, a REAL a Julian day
     * number, text an ISO-8601 date/time. Returns an Instant, an OffsetDateTime (text with a zone), a LocalDateTime
     * (text without one, meaning the JVM's zone) or null (NULL and empty text).
     */
    private static Object moment(Object v) throws SQLException {
        if (v == null) {
            return null;
        } else if (v instanceof Long || v instanceof Boolean) {
            return Instant.ofEpochMilli(toLong(v));
        } else if (v instanceof Double d) {
            return julianDay(d);
        } else if (v instanceof byte[]) {
            throw new SQLException("cannot read a BLOB as a date/time: store dates as text or numbers");
        }
        String s = v.toString().trim();
        return s.isEmpty() ? null : parseDateTime(s);
    }

    private static final long JULIAN_DAY_OF_EPOCH_MS = 210_866_760_000_000L;

    /**
     * A Julian day number, rounded to milliseconds as SQLite does. Like sqlite-jdbc, the wall-clock time it names
     * (UTC in SQLite's date functions) is then taken in the JVM's zone, as text without a zone is; java.util's
     * calendar does that the way sqlite-jdbc's does (Julian calendar before 1582, same DST gap and overlap choices).
     */
    private static Instant julianDay(double jd) {
        long utcMillis = (long) (jd * 86_400_000.0 + 0.5) - JULIAN_DAY_OF_EPOCH_MS;
        Calendar utc = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        utc.setTimeInMillis(utcMillis);
        Calendar local = new GregorianCalendar();
        local.clear();
        for (int field : new int[] {Calendar.ERA, Calendar.YEAR, Calendar.MONTH, Calendar.DAY_OF_MONTH,
                Calendar.HOUR_OF_DAY, Calendar.MINUTE, Calendar.SECOND, Calendar.MILLISECOND}) {
            local.set(field, utc.get(field));
        }
        return Instant.ofEpochMilli(local.getTimeInMillis());
    }

    private static final String TIME = "(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d+))?)?";
    private static final String ZONE = "\\s?(Z|z|[+-]\\d{2}(?::?\\d{2})?)?";
    private static final Pattern DATE_TIME = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})(?:[T ]" + TIME + ")?" + ZONE);
    private static final Pattern TIME_ONLY = Pattern.compile(TIME + ZONE);

    /** yyyy-MM-dd, then optionally [T ]HH:mm[:ss[.fraction]] and a zone (Z, +hh:mm, +hhmm, +hh); or a bare time. */
    private static Object parseDateTime(String s) throws SQLException {
        try {
            Matcher m = DATE_TIME.matcher(s);
            if (m.matches()) {
                LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)));
                return withZone(date.atTime(time(m, 4)), m.group(8));
            }
            m = TIME_ONLY.matcher(s);
            if (m.matches()) {
                return withZone(LocalDate.EPOCH.atTime(time(m, 1)), m.group(5));
            }
        } catch (DateTimeException e) {
            throw notADate(s, e);
        }
        throw notADate(s, null);
    }

    /** The time in groups first..first+3 (hours, minutes, seconds, fraction); midnight when absent. */
    private static LocalTime time(Matcher m, int first) {
        if (m.group(first) == null) {
            return LocalTime.MIDNIGHT;
        }
        String seconds = m.group(first + 2);
        String fraction = m.group(first + 3);
        int nanos = fraction == null ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
        return LocalTime.of(Integer.parseInt(m.group(first)), Integer.parseInt(m.group(first + 1)),
                seconds == null ? 0 : Integer.parseInt(seconds), nanos);
    }

    private static Object withZone(LocalDateTime wall, String zone) {
        return zone == null ? wall : wall.atOffset(ZoneOffset.of(zone.equalsIgnoreCase("z") ? "Z" : zone));
    }

    private static SQLException notADate(String s, Exception cause) {
        return new SQLException("cannot read '" + s + "' as a date/time: expected yyyy-MM-dd[ HH:mm:ss[.SSS]][+hh:mm|Z],"
                + " HH:mm:ss, unix milliseconds or a Julian day number", cause);
    }

    static Timestamp toTimestamp(Object v) throws SQLException {
        Object m = moment(v);
        if (m instanceof LocalDateTime wall) {
            return Timestamp.valueOf(wall);
        }
        return m == null ? null : Timestamp.from(instant(m));
    }

    /** The date in the JVM's zone, normalized to midnight as JDBC wants a java.sql.Date. */
    static Date toDate(Object v) throws SQLException {
        LocalDateTime local = toLocalDateTime(v);
        return local == null ? null : Date.valueOf(local.toLocalDate());
    }

    /** The time of day in the JVM's zone, on 1970-01-01 as JDBC wants a java.sql.Time, keeping milliseconds. */
    static Time toTime(Object v) throws SQLException {
        LocalDateTime local = toLocalDateTime(v);
        if (local == null) {
            return null;
        }
        LocalTime t = local.toLocalTime();
        Time time = Time.valueOf(t);
        time.setTime(time.getTime() + t.getNano() / 1_000_000);
        return time;
    }

    static LocalDateTime toLocalDateTime(Object v) throws SQLException {
        Object m = moment(v);
        if (m instanceof LocalDateTime wall) {
            return wall;
        }
        return m == null ? null : Timestamp.from(instant(m)).toLocalDateTime(); // the fields a Timestamp shows
    }

    /** Text with a zone keeps it; anything else gets the JVM's zone. */
    static OffsetDateTime toOffsetDateTime(Object v) throws SQLException {
        Object m = moment(v);
        if (m instanceof OffsetDateTime o) {
            return o;
        } else if (m instanceof LocalDateTime wall) {
            return wall.atZone(ZoneId.systemDefault()).toOffsetDateTime();
        }
        return m == null ? null : ((Instant) m).atZone(ZoneId.systemDefault()).toOffsetDateTime();
    }

    private static Instant instant(Object moment) {
        if (moment instanceof OffsetDateTime o) {
            return o.toInstant();
        } else if (moment instanceof LocalDateTime wall) {
            return Timestamp.valueOf(wall).toInstant();
        }
        return (Instant) moment;
    }

    // ---- getObject ----

    /** Plain getObject, like sqlite-jdbc: an integer that fits an int is an Integer (so is a boolean), else a Long. */
    static Object toObject(Object v) {
        if (v instanceof Long l) {
            return l == l.intValue() ? (Object) l.intValue() : l;
        } else if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return v;
    }

    /** getObject(column, type). SQL NULL is null whatever the type. */
    static Object toObject(Object v, Class<?> type) throws SQLException {
        if (v == null) {
            return null;
        }
        Class<?> t = boxed(type);
        if (t == Object.class) {
            return toObject(v);
        } else if (t == String.class) {
            return toText(v);
        } else if (t == byte[].class) {
            return toBytes(v);
        } else if (t == Boolean.class) {
            return toBoolean(v);
        } else if (t == BigDecimal.class) {
            return toBigDecimal(v);
        } else if (t == BigInteger.class) {
            return toBigDecimal(v).toBigInteger();
        } else if (t == Long.class || t == Integer.class || t == Short.class || t == Byte.class
                || t == Double.class || t == Float.class) {
            return toBoxedNumber(numberFor(v, t), t);
        } else if (t == UUID.class && v instanceof String s) {
            return uuid(s);
        } else if (DATE_TYPES.contains(t)) {
            return toDateObject(v, t);
        } else if (t.isInstance(v)) {
            return v;
        }
        throw cannotConvert(v, type);
    }

    /** The value as a number; like sqlite-jdbc, text that is not a number (and a blob) is refused. */
    private static Object numberFor(Object v, Class<?> t) throws SQLException {
        Object n = v instanceof String s ? numberSpelledBy(s) : v instanceof byte[] ? null : v;
        if (n == null) {
            throw new SQLException("Bad value for type " + t.getSimpleName() + " : "
                    + (v instanceof byte[] ? "a BLOB" : "'" + v + "'"));
        }
        return n;
    }

    private static Object toBoxedNumber(Object n, Class<?> t) {
        if (t == Long.class) {
            return toLong(n);
        } else if (t == Integer.class) {
            return toInt(n);
        } else if (t == Short.class) {
            return (short) toLong(n);
        } else if (t == Byte.class) {
            return (byte) toLong(n);
        } else if (t == Double.class) {
            return toDouble(n);
        }
        return (float) toDouble(n);
    }

    private static final Set<Class<?>> DATE_TYPES = Set.of(Timestamp.class, Date.class, Time.class,
            LocalDateTime.class, LocalDate.class, LocalTime.class, OffsetDateTime.class, Instant.class,
            java.util.Date.class);

    /** One of DATE_TYPES; null for NULL and for empty text (as sqlite-jdbc reads it). */
    private static Object toDateObject(Object v, Class<?> t) throws SQLException {
        if (t == Timestamp.class) {
            return toTimestamp(v);
        } else if (t == Date.class) {
            return toDate(v);
        } else if (t == Time.class) {
            return toTime(v);
        } else if (t == OffsetDateTime.class) {
            return toOffsetDateTime(v);
        } else if (t == Instant.class || t == java.util.Date.class) {
            OffsetDateTime o = toOffsetDateTime(v);
            Instant i = o == null ? null : o.toInstant();
            return i == null || t == Instant.class ? i : java.util.Date.from(i);
        }
        LocalDateTime l = toLocalDateTime(v);
        if (l == null || t == LocalDateTime.class) {
            return l;
        }
        return t == LocalDate.class ? l.toLocalDate() : l.toLocalTime();
    }

    private static Object uuid(String s) throws SQLException {
        try {
            return UUID.fromString(s.trim());
        } catch (IllegalArgumentException e) {
            throw new SQLException("cannot convert '" + s + "' to java.util.UUID", e);
        }
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "long" -> Long.class;
            case "int" -> Integer.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "boolean" -> Boolean.class;
            default -> type;
        };
    }

    private static SQLException cannotConvert(Object v, Class<?> type) {
        return new SQLException("cannot convert " + v.getClass().getSimpleName() + " to " + type.getName());
    }

    // ---- metadata ----

    /** java.sql.Types of a value, for metadata. */
    static int sqlType(Object v) {
        if (v == null) {
            return Types.NULL;
        } else if (v instanceof Long) {
            return Types.BIGINT;
        } else if (v instanceof Integer) {
            return Types.INTEGER;
        } else if (v instanceof Short) {
            return Types.SMALLINT;
        } else if (v instanceof Double) {
            return Types.DOUBLE;
        } else if (v instanceof Boolean) {
            return Types.BOOLEAN;
        } else if (v instanceof byte[]) {
            return Types.BLOB;
        }
        return Types.VARCHAR;
    }
}
