package dev.netbench.report.html;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * How an axis or a table shows values of one base unit: the unit text after scaling ({@code Gbit/s}, {@code ms})
 * and the divisor that scales them. Rates and counts take decimal SI prefixes; times in µs become ms or s when
 * large; other units stay as they are.
 */
record AxisUnit(String text, double divisor) {
    private static final String[] SI = {"", "k", "M", "G", "T", "P"};

    /** The unit for values up to {@code max} (positive; ≤ 0 or NaN picks the base unit). */
    static AxisUnit pick(String baseUnit, double max) {
        String base = baseUnit == null ? "" : baseUnit;
        if (isMicros(base)) {
            if (max >= 1e6) {
                return new AxisUnit("s", 1e6);
            }
            if (max >= 1e3) {
                return new AxisUnit("ms", 1e3);
            }
            return new AxisUnit("µs", 1);
        }
        if (!isSiUnit(base)) {
            return new AxisUnit(base, 1);
        }
        int i = 0;
        double v = Double.isFinite(max) && max > 0 ? max : 0;
        while (v >= 1000 && i < SI.length - 1) {
            v /= 1000;
            i++;
        }
        String shown = base.equals("1/s") ? "/s" : base;
        return new AxisUnit(SI[i] + shown, Math.pow(1000, i));
    }

    static boolean isMicros(String unit) {
        return unit.equals("us") || unit.equals("µs");
    }

    /** Units that take SI prefixes: rates, bytes, and per-second counts; not percentages or plain numbers. */
    private static boolean isSiUnit(String unit) {
        return unit.endsWith("/s") || unit.equals("B") || unit.equals("bit");
    }

    /** The tick {@code v} scaled, with the decimals a tick {@code step} apart needs: 2.5e9 by 5e8 → "2.5". */
    String number(double v, double step) {
        double s = step / divisor;
        int decimals = 0;
        while (decimals < 6 && Math.abs(s * Math.pow(10, decimals) - Math.rint(s * Math.pow(10, decimals))) > 1e-6) {
            decimals++;
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v / divisor);
    }

    /** A value for a reader, in the unit best suited to it alone, three significant figures: "9.41 Gbit/s". */
    static String format(double v, String baseUnit) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        AxisUnit u = pick(baseUnit, Math.abs(v));
        String number = dev.netbench.report.Units.fixed3(v / u.divisor);
        if (u.text.isEmpty()) {
            return number;
        }
        return u.text.startsWith("/") ? number + u.text : number + " " + u.text;
    }

    /** A base unit as a reader sees it: "us" → "µs", "1/s" → "per second". */
    static String display(String unit) {
        if (unit == null) {
            return "";
        }
        return isMicros(unit) ? "µs" : unit.equals("1/s") ? "per second" : unit;
    }

    /** The shortest plain form of a number: 0.5 → "0.5", 2.0 → "2". */
    static String trim(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
