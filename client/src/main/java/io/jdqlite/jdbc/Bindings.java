package io.jdqlite.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.UUID;

/** Parameters given to setObject/setXxx, as the wire carries them; {@link Values} reads them back. */
final class Bindings {
    private Bindings() {
    }


    /** A value given to setObject/setXxx as the wire carries it: Long, Double, String, byte[], Boolean or null. */
    static Object bindable(Object v) throws SQLException {
        if (v == null || v instanceof Long || v instanceof String || v instanceof byte[] || v instanceof Boolean) {
            return v;
        } else if (v instanceof Double d) {
            return d.isNaN() ? null : d; // SQLite stores a NaN as NULL
        } else if (v instanceof Float f) {
            return f.isNaN() ? null : (Object) f.doubleValue();
        } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        } else if (v instanceof BigDecimal d) {
            return d.toPlainString(); // text, as sqlite-jdbc binds it; column affinity makes it a number
        } else if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
        } else if (v instanceof Character || v instanceof UUID) {
            return v.toString();
        }
        String date = dateText(v);
        if (date != null) {
            return date;
        }
        throw new SQLException("cannot bind a " + v.getClass().getName()
                + " (use numbers, strings, byte[], booleans or dates)");
    }

    /** Dates as text the getters read back: java.sql/java.util ones in the JVM's zone, java.time ones in ISO-8601. */
    private static String dateText(Object v) {
        if (v instanceof Timestamp t) {
            return timestampText(t.toLocalDateTime());
        } else if (v instanceof Date d) {
            return d.toLocalDate().toString();
        } else if (v instanceof Time t) {
            return timeText(t);
        } else if (v instanceof java.util.Date d) {
            return timestampText(LocalDateTime.ofInstant(d.toInstant(), ZoneId.systemDefault()));
        } else if (v instanceof ZonedDateTime z) {
            return z.toOffsetDateTime().toString(); // without the [region] suffix, which the getters do not read
        } else if (v instanceof TemporalAccessor t) {
            return t.toString();
        }
        return null;
    }

    /** yyyy-MM-dd HH:mm:ss.SSS, with 6 or 9 fraction digits when the nanoseconds need them. */
    private static String timestampText(LocalDateTime t) {
        int nanos = t.getNano();
        String fraction = nanos % 1_000_000 == 0 ? String.format(Locale.ROOT, "%03d", nanos / 1_000_000)
                : nanos % 1000 == 0 ? String.format(Locale.ROOT, "%06d", nanos / 1000)
                : String.format(Locale.ROOT, "%09d", nanos);
        return String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d.%s", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), fraction);
    }

    /** HH:mm:ss, and .SSS when the Time carries milliseconds. */
    private static String timeText(Time t) {
        LocalTime lt = t.toLocalTime();
        long millis = Math.floorMod(t.getTime(), 1000L);
        String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", lt.getHour(), lt.getMinute(), lt.getSecond());
        return millis == 0 ? hms : hms + String.format(Locale.ROOT, ".%03d", millis);
    }
}
