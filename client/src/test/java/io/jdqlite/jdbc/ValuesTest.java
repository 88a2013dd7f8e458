package io.jdqlite.jdbc;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Values' conversions. Unless a comment says otherwise, each expected value is what sqlite-jdbc 3.50.3.0 returns
 * for the same SQLite value (SELECT of a literal, CAST(x AS REAL) for reals, X'..' for blobs). Date expectations
 * are built in the JVM's zone, so the tests hold in any zone.
 */
class ValuesTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- getLong / getInt ----

    @Test
    void textToLongReadsTheIntegerPrefixAndClamps() {
        assertThat(Values.toLong("9223372036854775808")).isEqualTo(Long.MAX_VALUE);
        assertThat(Values.toLong("-9223372036854775809")).isEqualTo(Long.MIN_VALUE);
        assertThat(Values.toLong("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Values.toLong("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Values.toLong("99999999999999999999abc")).isEqualTo(Long.MAX_VALUE);
        assertThat(Values.toLong("-99999999999999999999")).isEqualTo(Long.MIN_VALUE);
        assertThat(Values.toLong("9223372036854775807.5")).isEqualTo(Long.MAX_VALUE);
        assertThat(Values.toLong("1.0e+20")).isEqualTo(1);
        assertThat(Values.toLong("1e3")).isEqualTo(1);
        assertThat(Values.toLong("1.5e3x")).isEqualTo(1);
        assertThat(Values.toLong("12abc")).isEqualTo(12);
        assertThat(Values.toLong("2024-01-02")).isEqualTo(2024);
        assertThat(Values.toLong("3.9")).isEqualTo(3);
        assertThat(Values.toLong("-3.9")).isEqualTo(-3);
        assertThat(Values.toLong(" 42 ")).isEqualTo(42);
        assertThat(Values.toLong("  -12")).isEqualTo(-12);
        assertThat(Values.toLong("\t5")).isEqualTo(5);
        assertThat(Values.toLong("\n5")).isEqualTo(5);
        assertThat(Values.toLong("+5")).isEqualTo(5);
        assertThat(Values.toLong("00012")).isEqualTo(12);
        assertThat(Values.toLong(".5")).isEqualTo(0);
        assertThat(Values.toLong("- 12")).isEqualTo(0);
        assertThat(Values.toLong("+-5")).isEqualTo(0);
        assertThat(Values.toLong("0x10")).isEqualTo(0);
        assertThat(Values.toLong("abc")).isEqualTo(0);
        assertThat(Values.toLong("")).isEqualTo(0);
    }

    @Test
    void realToLongTruncatesAndClamps() {
        assertThat(Values.toLong(1e20)).isEqualTo(Long.MAX_VALUE);
        assertThat(Values.toLong(-1e20)).isEqualTo(Long.MIN_VALUE);
        assertThat(Values.toLong(9.3e18)).isEqualTo(Long.MAX_VALUE);
        assertThat(Values.toLong(-9.3e18)).isEqualTo(Long.MIN_VALUE);
        assertThat(Values.toLong(Double.POSITIVE_INFINITY)).isEqualTo(Long.MAX_VALUE);
        assertThat(Values.toLong(Double.NEGATIVE_INFINITY)).isEqualTo(Long.MIN_VALUE);
        assertThat(Values.toLong(Double.NaN)).isEqualTo(0); // SQLite's doubleToInt64; a stored NaN is NULL anyway
        assertThat(Values.toLong(3.9)).isEqualTo(3);
        assertThat(Values.toLong(-3.9)).isEqualTo(-3);
        assertThat(Values.toLong(2147483648.5)).isEqualTo(2147483648L);
    }

    @Test
    void otherValuesToLong() {
        assertThat(Values.toLong(null)).isEqualTo(0);
        assertThat(Values.toLong(42L)).isEqualTo(42);
        assertThat(Values.toLong(true)).isEqualTo(1);
        assertThat(Values.toLong(false)).isEqualTo(0);
        assertThat(Values.toLong(utf8("42"))).isEqualTo(42); // X'3432'
        assertThat(Values.toLong(utf8("ABC"))).isEqualTo(0);
    }

    @Test
    void toIntKeepsTheLow32Bits() {
        assertThat(Values.toInt(4294967297L)).isEqualTo(1);
        assertThat(Values.toInt(-4294967297L)).isEqualTo(-1);
        assertThat(Values.toInt(2147483648L)).isEqualTo(Integer.MIN_VALUE);
        assertThat(Values.toInt(Long.MAX_VALUE)).isEqualTo(-1);
        assertThat(Values.toInt(1704164645000L)).isEqualTo(-937371512);
        assertThat(Values.toInt("9223372036854775808")).isEqualTo(-1);
        assertThat(Values.toInt("-9223372036854775809")).isEqualTo(0);
        assertThat(Values.toInt("4294967297")).isEqualTo(1);
        assertThat(Values.toInt(1e20)).isEqualTo(-1);
        assertThat(Values.toInt(-1e20)).isEqualTo(0);
        assertThat(Values.toInt(2147483648.5)).isEqualTo(Integer.MIN_VALUE);
        assertThat(Values.toInt("1e3")).isEqualTo(1);
    }

    // ---- getDouble ----

    @Test
    void textToDoubleReadsTheLongestNumericPrefix() {
        assertThat(Values.toDouble("1.0e+20")).isEqualTo(1e20);
        assertThat(Values.toDouble("1e3")).isEqualTo(1000.0);
        assertThat(Values.toDouble("1.5e3x")).isEqualTo(1500.0);
        assertThat(Values.toDouble("12abc")).isEqualTo(12.0);
        assertThat(Values.toDouble("2024-01-02")).isEqualTo(2024.0);
        assertThat(Values.toDouble(".5")).isEqualTo(0.5);
        assertThat(Values.toDouble("5.")).isEqualTo(5.0);
        assertThat(Values.toDouble("-.5")).isEqualTo(-0.5);
        assertThat(Values.toDouble("  +.5e1x")).isEqualTo(5.0);
        assertThat(Values.toDouble(" 1.5 ")).isEqualTo(1.5);
        assertThat(Values.toDouble("1.5.5")).isEqualTo(1.5);
        assertThat(Values.toDouble("1e5e5")).isEqualTo(100000.0);
        assertThat(Values.toDouble("1e")).isEqualTo(1.0);
        assertThat(Values.toDouble("1e+")).isEqualTo(1.0);
        assertThat(Values.toDouble("1,5")).isEqualTo(1.0);
        assertThat(Values.toDouble("1E-2")).isEqualTo(0.01);
        assertThat(Values.toDouble("1e400")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Values.toDouble("9223372036854775808")).isEqualTo(9.223372036854776E18);
        assertThat(Values.toDouble("-")).isEqualTo(-0.0);
        assertThat(Values.toDouble("-0")).isEqualTo(-0.0);
        assertThat(Values.toDouble("inf")).isEqualTo(0.0);
        assertThat(Values.toDouble("Infinity")).isEqualTo(0.0);
        assertThat(Values.toDouble("NaN")).isEqualTo(0.0);
        assertThat(Values.toDouble("0x10")).isEqualTo(0.0);
        assertThat(Values.toDouble("abc")).isEqualTo(0.0);
        assertThat(Values.toDouble("")).isEqualTo(0.0);
        // Deliberate: Java's correctly rounded parse; SQLite's sqlite3AtoF gives 8.999999999999999E187 here.
        assertThat(Values.toDouble("9e187")).isEqualTo(9e187);
    }

    @Test
    void otherValuesToDouble() {
        assertThat(Values.toDouble(null)).isEqualTo(0.0);
        assertThat(Values.toDouble(42L)).isEqualTo(42.0);
        assertThat(Values.toDouble(true)).isEqualTo(1.0);
        assertThat(Values.toDouble(false)).isEqualTo(0.0);
        assertThat(Values.toDouble(utf8("42"))).isEqualTo(42.0);
    }

    // ---- getString / getBytes ----

    @Test
    void realsAreTextAsSqlitePrintsThem() {
        assertThat(Values.toText(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(Values.toText(0.30000000000000004)).isEqualTo("0.3");
        assertThat(Values.toText(1e20)).isEqualTo("1.0e+20");
        assertThat(Values.toText(-1e20)).isEqualTo("-1.0e+20");
        assertThat(Values.toText(1e15)).isEqualTo("1.0e+15");
        assertThat(Values.toText(999999999999999.9)).isEqualTo("1.0e+15");
        assertThat(Values.toText(9.3e18)).isEqualTo("9.3e+18");
        assertThat(Values.toText(1e100)).isEqualTo("1.0e+100");
        assertThat(Values.toText(-0.0)).isEqualTo("0.0");
        assertThat(Values.toText(0.0)).isEqualTo("0.0");
        assertThat(Values.toText(1704164645000.0)).isEqualTo("1704164645000.0");
        assertThat(Values.toText(123456789012345.0)).isEqualTo("123456789012345.0");
        assertThat(Values.toText(1234567890123456.0)).isEqualTo("1.23456789012346e+15");
        assertThat(Values.toText(9007199254740993.0)).isEqualTo("9.00719925474099e+15");
        assertThat(Values.toText(1.5)).isEqualTo("1.5");
        assertThat(Values.toText(-1.5)).isEqualTo("-1.5");
        assertThat(Values.toText(100.0)).isEqualTo("100.0");
        assertThat(Values.toText(-100.25)).isEqualTo("-100.25");
        assertThat(Values.toText(0.1)).isEqualTo("0.1");
        assertThat(Values.toText(1.0 / 3)).isEqualTo("0.333333333333333");
        assertThat(Values.toText(2.0 / 3)).isEqualTo("0.666666666666667");
        assertThat(Values.toText(3.14159265358979)).isEqualTo("3.14159265358979");
        assertThat(Values.toText(2460311.5)).isEqualTo("2460311.5");
        assertThat(Values.toText(0.0001)).isEqualTo("0.0001");
        assertThat(Values.toText(1e-5)).isEqualTo("1.0e-05");
        assertThat(Values.toText(0.000001)).isEqualTo("1.0e-06");
        assertThat(Values.toText(1.23e-7)).isEqualTo("1.23e-07");
        assertThat(Values.toText(1.0e-10)).isEqualTo("1.0e-10");
        assertThat(Values.toText(Double.MAX_VALUE)).isEqualTo("1.79769313486232e+308");
        assertThat(Values.toText(Double.MIN_VALUE)).isEqualTo("4.94065645841247e-324");
        assertThat(Values.toText(2.2250738585072014e-308)).isEqualTo("2.2250738585072e-308");
        assertThat(Values.toText(Double.POSITIVE_INFINITY)).isEqualTo("Inf");
        assertThat(Values.toText(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    }

    @Test
    void realsNearATieRoundExactly() {
        // Deliberate difference: SQLite's extended-precision digits print these near-ties one unit higher in the
        // 15th digit ("-9.75676481242026e+143", "1.0908712645029e+286" and "-6.99663411864882e-267"); exact
        // decimal rounding of the double gives the following.
        assertThat(Values.toText(-9.756764812420254E143)).isEqualTo("-9.75676481242025e+143");
        assertThat(Values.toText(1.090871264502905E286)).startsWith("1.0908712645029");
        assertThat(Values.toText(-6.996634118648814E-267)).startsWith("-6.9966341186488");
    }

    @Test
    void otherValuesToText() {
        assertThat(Values.toText(null)).isNull();
        assertThat(Values.toText(42L)).isEqualTo("42");
        assertThat(Values.toText(Long.MIN_VALUE)).isEqualTo("-9223372036854775808");
        assertThat(Values.toText(true)).isEqualTo("1");
        assertThat(Values.toText(false)).isEqualTo("0");
        assertThat(Values.toText(utf8("ABC"))).isEqualTo("ABC");
        assertThat(Values.toText("x")).isEqualTo("x");
    }

    @Test
    void bytesAreTheBlobOrTheTextsBytes() {
        byte[] blob = {1, 2, 3};
        assertThat(Values.toBytes(blob)).isSameAs(blob);
        assertThat(Values.toBytes(null)).isNull();
        assertThat(Values.toBytes(0.1 + 0.2)).isEqualTo(utf8("0.3"));
        assertThat(Values.toBytes(1e20)).isEqualTo(utf8("1.0e+20"));
        assertThat(Values.toBytes(42L)).isEqualTo(utf8("42"));
        assertThat(Values.toBytes(true)).isEqualTo(utf8("1"));
        assertThat(Values.toBytes("é")).isEqualTo(utf8("é"));
    }

    // ---- getBoolean ----

    @Test
    void booleans() {
        assertThat(Values.toBoolean(true)).isTrue();
        assertThat(Values.toBoolean(false)).isFalse();
        assertThat(Values.toBoolean(null)).isFalse();
        assertThat(Values.toBoolean(1L)).isTrue();
        assertThat(Values.toBoolean(0L)).isFalse();
        assertThat(Values.toBoolean(0.5)).isFalse();
        assertThat(Values.toBoolean(0.9)).isFalse();
        assertThat(Values.toBoolean(3.9)).isTrue();
        assertThat(Values.toBoolean("1")).isTrue();
        assertThat(Values.toBoolean("12abc")).isTrue();
        assertThat(Values.toBoolean("yes")).isFalse();
        assertThat(Values.toBoolean(".5")).isFalse();
        assertThat(Values.toBoolean(utf8("1"))).isTrue();
        // Deliberate: sqlite-jdbc says false for both (getInt(...) != 0 truncates 2^32 to 0 and reads 'true' as 0).
        assertThat(Values.toBoolean(4294967296L)).isTrue();
        assertThat(Values.toBoolean("true")).isTrue();
    }

    // ---- getBigDecimal ----

    @Test
    void bigDecimalsComeFromTheText() throws SQLException {
        assertThat(Values.toBigDecimal(null)).isNull();
        assertThat(Values.toBigDecimal(42L)).isEqualTo(new BigDecimal("42"));
        assertThat(Values.toBigDecimal(Long.MAX_VALUE)).isEqualTo(new BigDecimal("9223372036854775807"));
        assertThat(Values.toBigDecimal(true)).isEqualTo(new BigDecimal("1"));
        assertThat(Values.toBigDecimal(false)).isEqualTo(new BigDecimal("0"));
        assertThat(Values.toBigDecimal(0.1 + 0.2)).isEqualTo(new BigDecimal("0.3"));
        assertThat(Values.toBigDecimal(1e20)).isEqualTo(new BigDecimal("1.0E+20"));
        assertThat(Values.toBigDecimal(1e-5)).isEqualTo(new BigDecimal("0.000010"));
        assertThat(Values.toBigDecimal(100.0)).isEqualTo(new BigDecimal("100.0"));
        assertThat(Values.toBigDecimal(1.0 / 3)).isEqualTo(new BigDecimal("0.333333333333333"));
        assertThat(Values.toBigDecimal(-0.0)).isEqualTo(new BigDecimal("0.0"));
        assertThat(Values.toBigDecimal("1e3")).isEqualTo(new BigDecimal("1E+3"));
        assertThat(Values.toBigDecimal("+5")).isEqualTo(new BigDecimal("5"));
        assertThat(Values.toBigDecimal("5.")).isEqualTo(new BigDecimal("5"));
        assertThat(Values.toBigDecimal("-3.9")).isEqualTo(new BigDecimal("-3.9"));
        assertThat(Values.toBigDecimal("9223372036854775808")).isEqualTo(new BigDecimal("9223372036854775808"));
        assertThat(Values.toBigDecimal(utf8("42"))).isEqualTo(new BigDecimal("42"));
    }

    @Test
    void bigDecimalRefusesTextThatIsNotANumber() {
        for (String bad : new String[] {"abc", "2024-01-02", "12abc", "", " 42 ", "0x10"}) {
            assertThatThrownBy(() -> Values.toBigDecimal(bad)).isInstanceOf(SQLException.class)
                    .hasMessage("Bad value for type BigDecimal : " + bad);
        }
        assertThatThrownBy(() -> Values.toBigDecimal(utf8("ABC"))).hasMessage("Bad value for type BigDecimal : ABC");
        assertThatThrownBy(() -> Values.toBigDecimal(Double.POSITIVE_INFINITY))
                .hasMessage("Bad value for type BigDecimal : Inf");
    }

    // ---- dates ----

    @Test
    void realsAreJulianDayNumbersInTheJvmsZone() throws SQLException {
        assertThat(Values.toTimestamp(2460311.5)).isEqualTo(Timestamp.valueOf("2024-01-02 00:00:00"));
        assertThat(Values.toTimestamp(2460311.75)).isEqualTo(Timestamp.valueOf("2024-01-02 06:00:00"));
        assertThat(Values.toTimestamp(2460477.0000057872)).isEqualTo(Timestamp.valueOf("2024-06-15 12:00:00.5"));
        assertThat(Values.toDate(2460311.75)).isEqualTo(Date.valueOf("2024-01-02"));
        assertThat(Values.toTime(2460311.75)).isEqualTo(Time.valueOf("06:00:00"));
        // Before the Gregorian reform, the Julian calendar (java.util's, and so sqlite-jdbc's).
        assertThat(Values.toTimestamp(2299160.5)).hasToString("1582-10-15 00:00:00.0");
        assertThat(Values.toTimestamp(2299159.5)).hasToString("1582-10-04 00:00:00.0");
        assertThat(Values.toTimestamp(1721425.5)).hasToString("0001-01-03 00:00:00.0");
        assertThat(Values.toTimestamp(0.0)).hasToString("4713-01-01 12:00:00.0");
    }

    @Test
    void julianDaysRoundToTheMillisecondLikeSqlite() throws SQLException {
        // Deliberate: SQLite's datetime() rounding; sqlite-jdbc truncates each field and gives 03:04:04.999 and .122.
        assertThat(Values.toTimestamp(2460311.627835648)).isEqualTo(Timestamp.valueOf("2024-01-02 03:04:05"));
        assertThat(Values.toTimestamp(2460311.6278370717)).isEqualTo(Timestamp.valueOf("2024-01-02 03:04:05.123"));
    }

    @Test
    void integersAreUnixMilliseconds() throws SQLException {
        assertThat(Values.toTimestamp(1704164645000L).getTime()).isEqualTo(1704164645000L);
        assertThat(Values.toTimestamp(0L).getTime()).isEqualTo(0);
        assertThat(Values.toTimestamp(-1L).getTime()).isEqualTo(-1);
        assertThat(Values.toTimestamp(-1L).getNanos()).isEqualTo(999_000_000);
        assertThat(Values.toTimestamp(42L).getNanos()).isEqualTo(42_000_000);
        assertThat(Values.toTimestamp(true).getTime()).isEqualTo(1); // a BOOLEAN column holds an integer
        Timestamp t = new Timestamp(1704164645000L);
        assertThat(Values.toDate(1704164645000L)).isEqualTo(Date.valueOf(t.toLocalDateTime().toLocalDate()));
        assertThat(Values.toTime(1704164645000L)).hasToString(t.toLocalDateTime().toLocalTime().toString());
    }

    @Test
    void textDatesInTheJvmsZone() throws SQLException {
        Timestamp expected = Timestamp.valueOf("2024-01-02 03:04:05.123");
        assertThat(Values.toTimestamp("2024-01-02 03:04:05.123")).isEqualTo(expected);
        assertThat(Values.toTimestamp("2024-01-02 03:04:05")).isEqualTo(Timestamp.valueOf("2024-01-02 03:04:05"));
        assertThat(Values.toTimestamp(" 2024-01-02 03:04:05.123 ")).isEqualTo(expected);
        // Deliberate: sqlite-jdbc refuses these ("Error parsing time stamp"); they are ISO-8601 and SQLite reads them.
        assertThat(Values.toTimestamp("2024-01-02T03:04:05.123")).isEqualTo(expected);
        assertThat(Values.toTimestamp("2024-01-02 03:04")).isEqualTo(Timestamp.valueOf("2024-01-02 03:04:00"));
        assertThat(Values.toTimestamp("2024-01-02")).isEqualTo(Timestamp.valueOf("2024-01-02 00:00:00"));
        assertThat(Values.toTimestamp("03:04:05")).isEqualTo(Timestamp.valueOf("1970-01-01 03:04:05"));
        // Deliberate: a fraction is a fraction; sqlite-jdbc reads ".1" as 1 ms and ".123456789" as 123456789 ms.
        assertThat(Values.toTimestamp("2024-01-02 03:04:05.1").getNanos()).isEqualTo(100_000_000);
        assertThat(Values.toTimestamp("2024-01-02 03:04:05.123456789").getNanos()).isEqualTo(123_456_789);
        assertThat(Values.toTimestamp("2024-01-02 03:04:05.1234567891").getNanos()).isEqualTo(123_456_789);
    }

    @Test
    void textDatesWithAZoneAreThatInstant() throws SQLException {
        // Deliberate: sqlite-jdbc ignores the offset (reads the wall clock in the JVM's zone); go-dqlite writes these.
        Instant instant = Instant.parse("2024-01-02T01:04:05.123Z");
        assertThat(Values.toTimestamp("2024-01-02 03:04:05.123+02:00").toInstant()).isEqualTo(instant);
        assertThat(Values.toTimestamp("2024-01-02T03:04:05.123+0200").toInstant()).isEqualTo(instant);
        assertThat(Values.toTimestamp("2024-01-02 03:04:05.123+02").toInstant()).isEqualTo(instant);
        assertThat(Values.toTimestamp("2024-01-01 20:04:05.123-05:00").toInstant()).isEqualTo(instant);
        assertThat(Values.toTimestamp("2024-01-02 01:04:05.123Z").toInstant()).isEqualTo(instant);
        assertThat(Values.toTimestamp("2024-01-02T01:04:05.123z").toInstant()).isEqualTo(instant);
        assertThat(Values.toTimestamp("2024-01-02 01:04:05.123456789Z").toInstant())
                .isEqualTo(Instant.parse("2024-01-02T01:04:05.123456789Z"));
        assertThat(Values.toDate("2024-01-02 03:04:05+02:00"))
                .isEqualTo(Date.valueOf(LocalDateTime.ofInstant(Instant.parse("2024-01-02T01:04:05Z"),
                        ZoneId.systemDefault()).toLocalDate()));
    }

    @Test
    void emptyTextIsANullDate() throws SQLException {
        assertThat(Values.toTimestamp("")).isNull();
        assertThat(Values.toDate("")).isNull();
        assertThat(Values.toTime("  ")).isNull();
        assertThat(Values.toTimestamp(null)).isNull();
        assertThat(Values.toDate(null)).isNull();
        assertThat(Values.toTime(null)).isNull();
    }

    @Test
    void unreadableDatesFailClearly() {
        for (String bad : new String[] {"abc", "1704164645000", "2024-13-01 00:00:00", "2024-01-02 25:00:00",
                "2024/01/02", "2024-01-02 03:04:05+25:00"}) {
            assertThatThrownBy(() -> Values.toTimestamp(bad)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("'" + bad + "'").hasMessageContaining("yyyy-MM-dd");
        }
        // Deliberate: sqlite-jdbc reads a blob as the integer 0 (1970-01-01) without a word.
        assertThatThrownBy(() -> Values.toTimestamp(utf8("ABC"))).isInstanceOf(SQLException.class)
                .hasMessageContaining("BLOB").hasMessageNotContaining("[B@");
        assertThatThrownBy(() -> Values.toDate(new byte[] {1})).hasMessageContaining("BLOB");
        assertThatThrownBy(() -> Values.toTime(new byte[] {1})).hasMessageContaining("BLOB");
    }

    @Test
    void datesAndTimesAreNormalized() throws SQLException {
        // Deliberate: JDBC's normalized java.sql.Date/Time; sqlite-jdbc keeps the whole timestamp's milliseconds.
        assertThat(Values.toDate("2024-01-02 03:04:05.123").getTime()).isEqualTo(Date.valueOf("2024-01-02").getTime());
        Time time = Values.toTime("2024-01-02 03:04:05.123");
        assertThat(time).hasToString("03:04:05");
        assertThat(time.getTime()).isEqualTo(Time.valueOf("03:04:05").getTime() + 123);
        assertThat(Values.toTime("03:04:05")).isEqualTo(Time.valueOf("03:04:05"));
        assertThat(Values.toTime("03:04")).isEqualTo(Time.valueOf("03:04:00"));
    }

    // ---- getObject ----

    @Test
    void plainGetObject() {
        assertThat(Values.toObject(1L)).isEqualTo(1);
        assertThat(Values.toObject(0L)).isEqualTo(0);
        assertThat(Values.toObject(-2147483648L)).isEqualTo(Integer.MIN_VALUE);
        assertThat(Values.toObject(2147483647L)).isEqualTo(Integer.MAX_VALUE);
        assertThat(Values.toObject(2147483648L)).isEqualTo(2147483648L);
        assertThat(Values.toObject(4294967297L)).isEqualTo(4294967297L);
        assertThat(Values.toObject(true)).isEqualTo(1); // a BOOLEAN-declared column holding 1
        assertThat(Values.toObject(false)).isEqualTo(0);
        assertThat(Values.toObject(0.1 + 0.2)).isEqualTo(0.30000000000000004);
        assertThat(Values.toObject(-0.0)).isEqualTo(-0.0);
        assertThat(Values.toObject("2024-01-02 03:04:05")).isEqualTo("2024-01-02 03:04:05");
        byte[] blob = {1};
        assertThat(Values.toObject(blob)).isSameAs(blob);
        assertThat(Values.toObject(null)).isNull();
    }

    @Test
    void getObjectOfAnInteger() throws SQLException {
        assertThat(Values.toObject(42L, String.class)).isEqualTo("42");
        assertThat(Values.toObject(42L, Long.class)).isEqualTo(42L);
        assertThat(Values.toObject(42L, long.class)).isEqualTo(42L);
        assertThat(Values.toObject(42L, Integer.class)).isEqualTo(42);
        assertThat(Values.toObject(42L, int.class)).isEqualTo(42);
        assertThat(Values.toObject(42L, Short.class)).isEqualTo((short) 42);
        assertThat(Values.toObject(42L, Byte.class)).isEqualTo((byte) 42);
        assertThat(Values.toObject(42L, Double.class)).isEqualTo(42.0);
        assertThat(Values.toObject(42L, Float.class)).isEqualTo(42.0f);
        assertThat(Values.toObject(42L, Boolean.class)).isEqualTo(true);
        assertThat(Values.toObject(42L, boolean.class)).isEqualTo(true);
        assertThat((byte[]) Values.toObject(42L, byte[].class)).isEqualTo(utf8("42"));
        assertThat(Values.toObject(42L, BigDecimal.class)).isEqualTo(new BigDecimal("42"));
        assertThat(Values.toObject(42L, BigInteger.class)).isEqualTo(BigInteger.valueOf(42));
        assertThat(Values.toObject(42L, Timestamp.class)).isEqualTo(new Timestamp(42));
        assertThat(Values.toObject(42L, Object.class)).isEqualTo(42);
        assertThat(Values.toObject(42L, Number.class)).isEqualTo(42L);
        assertThat(Values.toObject(1704164645000L, Integer.class)).isEqualTo(-937371512);
        assertThat(Values.toObject(1704164645000L, Float.class)).isEqualTo(1.70416459E12f);
        assertThat(Values.toObject(1704164645000L, LocalDateTime.class))
                .isEqualTo(new Timestamp(1704164645000L).toLocalDateTime());
        assertThat(Values.toObject(1704164645000L, Instant.class)).isEqualTo(Instant.ofEpochMilli(1704164645000L));
        Object date = Values.toObject(1704164645000L, java.util.Date.class);
        assertThat(date.getClass()).isEqualTo(java.util.Date.class);
        assertThat(((java.util.Date) date).getTime()).isEqualTo(1704164645000L);
    }

    @Test
    void getObjectOfAReal() throws SQLException {
        assertThat(Values.toObject(3.9, Long.class)).isEqualTo(3L);
        assertThat(Values.toObject(3.9, Integer.class)).isEqualTo(3);
        assertThat(Values.toObject(3.9, Double.class)).isEqualTo(3.9);
        assertThat(Values.toObject(3.9, Float.class)).isEqualTo(3.9f);
        assertThat(Values.toObject(3.9, Boolean.class)).isEqualTo(true);
        assertThat(Values.toObject(3.9, String.class)).isEqualTo("3.9");
        assertThat(Values.toObject(3.9, BigDecimal.class)).isEqualTo(new BigDecimal("3.9"));
        assertThat(Values.toObject(3.9, BigInteger.class)).isEqualTo(BigInteger.valueOf(3));
        assertThat(Values.toObject(1e20, Long.class)).isEqualTo(Long.MAX_VALUE);
        assertThat(Values.toObject(2460311.5, Long.class)).isEqualTo(2460311L);
        assertThat(Values.toObject(2460311.5, LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 2));
        assertThat(Values.toObject(2460311.5, LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 1, 2, 0, 0));
        assertThat(Values.toObject(2460311.5, LocalTime.class)).isEqualTo(LocalTime.MIDNIGHT);
    }

    @Test
    void getObjectOfNumericText() throws SQLException {
        // Deliberate: sqlite-jdbc refuses all text here when the column has no numeric declared type; text that
        // spells a number in full is read as that number (as NUMERIC affinity would have stored it).
        assertThat(Values.toObject("42", Long.class)).isEqualTo(42L);
        assertThat(Values.toObject(" 42 ", Integer.class)).isEqualTo(42);
        assertThat(Values.toObject("1e3", Long.class)).isEqualTo(1000L);
        assertThat(Values.toObject("-3.9", Integer.class)).isEqualTo(-3);
        assertThat(Values.toObject("2.5", Double.class)).isEqualTo(2.5);
        assertThat(Values.toObject("99999999999999999999", Long.class)).isEqualTo(Long.MAX_VALUE);
        assertThat(Values.toObject("42", Boolean.class)).isEqualTo(true);
        assertThat(Values.toObject("42", BigDecimal.class)).isEqualTo(new BigDecimal("42"));
    }

    @Test
    void getObjectRefusesTextThatIsNotANumber() {
        for (Class<?> type : new Class<?>[] {Long.class, long.class, Integer.class, Short.class, Byte.class,
                Double.class, Float.class}) {
            for (String bad : new String[] {"abc", "12abc", "", "2024-01-02", "0x10", "1e"}) {
                assertThatThrownBy(() -> Values.toObject(bad, type)).isInstanceOf(SQLException.class)
                        .hasMessageStartingWith("Bad value for type ").hasMessageContaining("'" + bad + "'");
            }
        }
        assertThatThrownBy(() -> Values.toObject(utf8("42"), Long.class)).hasMessage("Bad value for type Long : a BLOB");
        assertThatThrownBy(() -> Values.toObject("abc", BigDecimal.class))
                .hasMessage("Bad value for type BigDecimal : abc");
        assertThatThrownBy(() -> Values.toObject("abc", BigInteger.class))
                .hasMessage("Bad value for type BigDecimal : abc");
    }

    @Test
    void getObjectOfTextDates() throws SQLException {
        String text = "2024-01-02 03:04:05.123";
        assertThat(Values.toObject(text, Timestamp.class)).isEqualTo(Timestamp.valueOf(text));
        assertThat(Values.toObject(text, Date.class)).isEqualTo(Date.valueOf("2024-01-02"));
        assertThat(Values.toObject(text, Time.class)).hasToString("03:04:05");
        assertThat(Values.toObject(text, LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_000_000));
        assertThat(Values.toObject(text, LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 2));
        // Deliberate: sqlite-jdbc's LocalTime goes through java.sql.Time and drops the milliseconds.
        assertThat(Values.toObject(text, LocalTime.class)).isEqualTo(LocalTime.of(3, 4, 5, 123_000_000));
        assertThat(Values.toObject(text, Boolean.class)).isEqualTo(true);
        assertThat(Values.toObject("2024-01-02", LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 2));
        assertThat(Values.toObject("03:04:05", LocalTime.class)).isEqualTo(LocalTime.of(3, 4, 5));
        assertThat(Values.toObject("2024-01-02 03:04:05.123+02:00", OffsetDateTime.class))
                .isEqualTo(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 123_000_000, ZoneOffset.ofHours(2)));
        assertThat(Values.toObject("2024-01-02 03:04:05.123+02:00", Instant.class))
                .isEqualTo(Instant.parse("2024-01-02T01:04:05.123Z"));
        assertThat(Values.toObject("2024-01-02 03:04:05", OffsetDateTime.class))
                .isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5).atZone(ZoneId.systemDefault()).toOffsetDateTime());
        assertThat(Values.toObject("", LocalDateTime.class)).isNull();
        assertThatThrownBy(() -> Values.toObject("42", LocalDateTime.class)).isInstanceOf(SQLException.class);
        // Deliberate: sqlite-jdbc reads a blob as unix milliseconds; a blob is no date.
        assertThatThrownBy(() -> Values.toObject(utf8("42"), Timestamp.class)).hasMessageContaining("BLOB");
    }

    @Test
    void getObjectOfOtherTypes() throws SQLException {
        UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        assertThat(Values.toObject(uuid.toString(), UUID.class)).isEqualTo(uuid);
        assertThatThrownBy(() -> Values.toObject("nope", UUID.class)).isInstanceOf(SQLException.class)
                .hasMessageContaining("'nope'");
        assertThat(Values.toObject("x", CharSequence.class)).isEqualTo("x");
        byte[] blob = {1, 2};
        assertThat(Values.toObject(blob, byte[].class)).isSameAs(blob);
        assertThat(Values.toObject(blob, String.class)).isEqualTo("\u0001\u0002");
        assertThatThrownBy(() -> Values.toObject("x", java.net.URL.class)).isInstanceOf(SQLException.class)
                .hasMessage("cannot convert String to java.net.URL");
        assertThatThrownBy(() -> Values.toObject(42L, UUID.class)).hasMessage("cannot convert Long to java.util.UUID");
    }

    @Test
    void getObjectOfNullIsNull() throws SQLException {
        // Deliberate for Integer/Long/Double/Float (sqlite-jdbc throws "Bad value") and Boolean (it gives false).
        for (Class<?> type : new Class<?>[] {String.class, Long.class, long.class, Integer.class, Double.class,
                Boolean.class, byte[].class, BigDecimal.class, Timestamp.class, LocalDate.class, Object.class}) {
            assertThat(Values.toObject(null, type)).isNull();
        }
    }

    // ---- parameters ----

    @Test
    void bindableKeepsWhatTheWireCarries() throws SQLException {
        byte[] blob = {1};
        assertThat(Bindings.bindable(null)).isNull();
        assertThat(Bindings.bindable(5L)).isEqualTo(5L);
        assertThat(Bindings.bindable("s")).isEqualTo("s");
        assertThat(Bindings.bindable(blob)).isSameAs(blob);
        assertThat(Bindings.bindable(true)).isEqualTo(true);
        assertThat(Bindings.bindable(1.5)).isEqualTo(1.5);
        assertThat(Bindings.bindable(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void bindableNumbers() throws SQLException {
        assertThat(Bindings.bindable(7)).isEqualTo(7L);
        assertThat(Bindings.bindable((short) 3)).isEqualTo(3L);
        assertThat(Bindings.bindable((byte) 4)).isEqualTo(4L); // Deliberate: sqlite-jdbc binds a Byte as text '4'
        assertThat(Bindings.bindable(3.5f)).isEqualTo(3.5);
        assertThat(Bindings.bindable(0.1f)).isEqualTo((double) 0.1f);
        assertThat(Bindings.bindable(Double.NaN)).isNull(); // SQLite stores NaN as NULL
        assertThat(Bindings.bindable(Float.NaN)).isNull();
        assertThat(Bindings.bindable(new BigDecimal("1.50"))).isEqualTo("1.50"); // text, as sqlite-jdbc binds it
        // Deliberate: sqlite-jdbc binds BigDecimal.toString(), '1E+3'; plain text is what a TEXT column should hold.
        assertThat(Bindings.bindable(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(Bindings.bindable(new BigDecimal("12345678901234567890.123"))).isEqualTo("12345678901234567890.123");
        // Deliberate: sqlite-jdbc binds any BigInteger as text.
        assertThat(Bindings.bindable(BigInteger.valueOf(5))).isEqualTo(5L);
        assertThat(Bindings.bindable(BigInteger.valueOf(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
        assertThat(Bindings.bindable(BigInteger.ONE.shiftLeft(63))).isEqualTo("9223372036854775808");
    }

    @Test
    void bindableTextLikeValues() throws SQLException {
        assertThat(Bindings.bindable('x')).isEqualTo("x");
        assertThat(Bindings.bindable(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")))
                .isEqualTo("123e4567-e89b-12d3-a456-426614174000");
        assertThatThrownBy(() -> Bindings.bindable(new Object())).isInstanceOf(SQLException.class)
                .hasMessage("cannot bind a java.lang.Object (use numbers, strings, byte[], booleans or dates)");
    }

    @Test
    void bindableDatesAreText() throws SQLException {
        // Deliberate: sqlite-jdbc binds java.sql/java.util dates as integer unix milliseconds by default.
        assertThat(Bindings.bindable(Timestamp.valueOf("2024-01-02 03:04:05.123"))).isEqualTo("2024-01-02 03:04:05.123");
        assertThat(Bindings.bindable(Timestamp.valueOf("2024-01-02 03:04:05"))).isEqualTo("2024-01-02 03:04:05.000");
        assertThat(Bindings.bindable(Timestamp.valueOf("2024-01-02 03:04:05.123456789")))
                .isEqualTo("2024-01-02 03:04:05.123456789");
        assertThat(Bindings.bindable(Timestamp.valueOf("2024-01-02 03:04:05.123456"))).isEqualTo("2024-01-02 03:04:05.123456");
        assertThat(Bindings.bindable(Timestamp.valueOf("0999-01-02 03:04:05"))).isEqualTo("0999-01-02 03:04:05.000");
        assertThat(Bindings.bindable(Date.valueOf("2024-01-02"))).isEqualTo("2024-01-02");
        assertThat(Bindings.bindable(Time.valueOf("03:04:00"))).isEqualTo("03:04:00");
        assertThat(Bindings.bindable(new Time(Time.valueOf("03:04:05").getTime() + 7))).isEqualTo("03:04:05.007");
        assertThat(Bindings.bindable(new java.util.Date(Timestamp.valueOf("2024-01-02 03:04:05.123").getTime())))
                .isEqualTo("2024-01-02 03:04:05.123");
        // java.time values as their ISO-8601 text, as sqlite-jdbc binds them.
        assertThat(Bindings.bindable(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123456789))).isEqualTo("2024-01-02T03:04:05.123456789");
        assertThat(Bindings.bindable(LocalDate.of(2024, 1, 2))).isEqualTo("2024-01-02");
        assertThat(Bindings.bindable(LocalTime.of(3, 4, 5))).isEqualTo("03:04:05");
        assertThat(Bindings.bindable(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2))))
                .isEqualTo("2024-01-02T03:04:05+02:00");
        assertThat(Bindings.bindable(Instant.ofEpochMilli(1704164645123L))).isEqualTo("2024-01-02T03:04:05.123Z");
        assertThat(Bindings.bindable(ZonedDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneId.of("Europe/Paris"))))
                .isEqualTo("2024-01-02T03:04:05+01:00");
    }

    @Test
    void boundDatesReadBack() throws SQLException {
        Timestamp ts = Timestamp.valueOf("2024-01-02 03:04:05.123456789");
        assertThat(Values.toTimestamp(Bindings.bindable(ts))).isEqualTo(ts);
        Timestamp whole = Timestamp.valueOf("2026-11-24 10:11:12");
        assertThat(Values.toTimestamp(Bindings.bindable(whole))).isEqualTo(whole);
        Date date = Date.valueOf("2024-01-02");
        assertThat(Values.toDate(Bindings.bindable(date))).isEqualTo(date);
        Time time = Time.valueOf("03:04:05");
        assertThat(Values.toTime(Bindings.bindable(time))).isEqualTo(time);
        Time withMillis = new Time(time.getTime() + 250);
        assertThat(Values.toTime(Bindings.bindable(withMillis))).isEqualTo(withMillis);
        assertThat(Values.toTimestamp(Bindings.bindable(time))).isEqualTo(Timestamp.valueOf("1970-01-01 03:04:05"));
        java.util.Date utilDate = new java.util.Date(1704164645123L);
        assertThat(Values.toObject(Bindings.bindable(utilDate), java.util.Date.class)).isEqualTo(utilDate);
        for (Object t : new Object[] {LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123456789), LocalDateTime.of(2024, 1, 2, 3, 4),
                LocalDate.of(2024, 1, 2), LocalTime.of(3, 4), LocalTime.of(3, 4, 5, 6),
                OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(-5)), Instant.ofEpochMilli(1704164645123L)}) {
            assertThat(Values.toObject(Bindings.bindable(t), t.getClass())).isEqualTo(t);
        }
        ZonedDateTime zoned = ZonedDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneId.of("Europe/Paris"));
        assertThat(Values.toObject(Bindings.bindable(zoned), Instant.class)).isEqualTo(zoned.toInstant());
    }
}
