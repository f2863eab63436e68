package dev.netbench.report;

import java.util.Locale;

/** Number formatting for people: decimal SI prefixes for rates and bytes moved, binary (KiB) for message sizes. */
public final class Units {
    private static final String[] SI = {"", "k", "M", "G", "T", "P"};

    private Units() {
    }

    /** 9.87e9 → "9.87 Gbit/s". */
    public static String bitsPerSecond(double bps) {
        return si(bps, "bit/s");
    }

    /** 1.2e10 → "12.0 GB". */
    public static String bytes(double bytes) {
        return si(bytes, "B");
    }

    /** 131072 → "128 KiB", 1000 → "1000 B", 1536 → "1.5 KiB". */
    public static String msgSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v)) + " " + units[i];
    }

    /** Three significant figures with an SI prefix: 0 → "0 unit", 1234 → "1.23 kunit". */
    public static String si(double value, String unit) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double v = Math.abs(value);
        int i = 0;
        while (v >= 999.5 && i < SI.length - 1) {
            v /= 1000;
            i++;
        }
        return fixed3(Math.copySign(v, value)) + " " + SI[i] + unit;
    }

    /** Three significant figures from 1 up, three decimals below 1, no exponent: 1.234 → "1.23", 123.4 → "123", 0.01234 → "0.012". */
    public static String fixed3(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        int decimals = a == 0 || a >= 99.95 ? 0 : a >= 9.995 ? 1 : a >= 0.9995 ? 2 : 3;
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
