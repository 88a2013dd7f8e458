package io.jdqlite.jdbc;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A REAL as SQLite spells it (what sqlite3_column_text gives, printf "%!.15g"): 15 significant digits,
 * always a fraction (".0"), exponent form ("1.0e+20") from 1e15 up and below 1e-4. The digits come from
 * exact decimal rounding; SQLite's own extended-precision arithmetic can round a rare near-tie in the 16th
 * digit the other way.
 */
final class RealText {
    private static final MathContext FIFTEEN_DIGITS = new MathContext(15, RoundingMode.HALF_UP);

    private RealText() {
    }

    static String of(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        } else if (Double.isInfinite(d)) {
            return d > 0 ? "Inf" : "-Inf";
        } else if (d == 0) {
            return "0.0"; // -0.0 too: SQLite prints no sign for it
        }
        BigDecimal rounded = new BigDecimal(Math.abs(d)).round(FIFTEEN_DIGITS).stripTrailingZeros();
        String digits = rounded.unscaledValue().toString();
        int exponent = digits.length() - 1 - rounded.scale(); // of the first digit
        String sign = d < 0 ? "-" : "";
        return sign + (exponent < -4 || exponent >= 15 ? scientific(digits, exponent) : fixed(digits, exponent));
    }

    private static String scientific(String digits, int exponent) {
        String fraction = digits.length() > 1 ? digits.substring(1) : "0";
        String e = Math.abs(exponent) < 10 ? "0" + Math.abs(exponent) : Integer.toString(Math.abs(exponent));
        return digits.charAt(0) + "." + fraction + "e" + (exponent < 0 ? "-" : "+") + e;
    }

    private static String fixed(String digits, int exponent) {
        if (exponent < 0) {
            return "0." + "0".repeat(-exponent - 1) + digits;
        }
        String whole = digits.length() > exponent + 1 ? digits.substring(0, exponent + 1)
                : digits + "0".repeat(exponent + 1 - digits.length());
        String fraction = digits.length() > exponent + 1 ? digits.substring(exponent + 1) : "0";
        return whole + "." + fraction;
    }
}
