package dev.netbench.report.html;

import dev.netbench.report.Units;

import java.util.ArrayList;
import java.util.List;

/**
 * A base-2 logarithmic scale for message sizes in bytes: ticks at powers of two (every second or fourth power when
 * the domain is wide), labelled as the text report prints sizes ({@code 1 B}, {@code 64 KiB}).
 */
final class LogScale implements Scale {
    final double lo;
    final double hi;
    private final double r0;
    private final double r1;
    private final int maxTicks;

    /**
     * A scale over the sizes from {@code min} to {@code max} (both positive); a single size is widened to half and
     * twice itself so it sits in the middle.
     */
    LogScale(double min, double max, double r0, double r1, int maxTicks) {
        if (!(min > 0) || !(max >= min)) {
            throw new IllegalArgumentException("a log scale needs 0 < min <= max, not " + min + ".." + max);
        }
        if (min == max) {
            min /= 2;
            max *= 2;
        }
        this.lo = min;
        this.hi = max;
        this.r0 = r0;
        this.r1 = r1;
        this.maxTicks = Math.max(2, maxTicks);
    }

    @Override
    public double map(double v) {
        return r0 + (log2(v) - log2(lo)) / (log2(hi) - log2(lo)) * (r1 - r0);
    }

    @Override
    public List<Double> ticks() {
        int first = (int) Math.ceil(log2(lo) - 1e-9);
        int last = (int) Math.floor(log2(hi) + 1e-9);
        int every = 1;
        while ((last - first) / every + 1 > maxTicks) {
            every *= 2;
        }
        List<Double> t = new ArrayList<>();
        // align the thinned ticks on multiples of `every` so 1 B, 16 B, 256 B... rather than 2 B, 32 B...
        for (int e = Math.floorDiv(first + every - 1, every) * every; e <= last; e += every) {
            t.add(Math.pow(2, e));
        }
        return t;
    }

    @Override
    public String label(double tick) {
        return tick >= 1 ? Units.msgSize(Math.round(tick)) : AxisUnit.trim(tick) + " B";
    }

    static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
