package dev.netbench.report.html;

import java.util.ArrayList;
import java.util.List;

/**
 * A base-10 logarithmic value axis, for latencies whose tail lies orders of magnitude above their median: the domain
 * widened to whole 1-2-5 steps around the data, ticks at 1, 2 and 5 × 10ⁿ (only the powers of ten when the domain
 * spans more than three decades), labels in one {@link AxisUnit}.
 */
final class DecadeScale implements ValueScale {
    private static final double[] STEPS = {1, 2, 5};
    final double lo;
    final double hi;
    private final double r0;
    private final double r1;
    private final AxisUnit unit;

    /** A scale over positive {@code min}..{@code max}. */
    DecadeScale(double min, double max, double r0, double r1, String baseUnit) {
        if (!(min > 0) || !(max >= min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("a log scale needs 0 < min <= max, not " + min + ".." + max);
        }
        this.lo = below(min);
        double h = above(max);
        this.hi = h > lo ? h : above(lo * 1.0001);
        this.r0 = r0;
        this.r1 = r1;
        this.unit = AxisUnit.pick(baseUnit, hi);
    }

    /** The largest 1-2-5 step at or below {@code v}. */
    static double below(double v) {
        double mag = Math.pow(10, Math.floor(Math.log10(v) + 1e-12));
        double best = mag;
        for (double s : STEPS) {
            if (s * mag <= v * (1 + 1e-9)) {
                best = s * mag;
            }
        }
        return best;
    }

    /** The smallest 1-2-5 step at or above {@code v}. */
    static double above(double v) {
        double mag = Math.pow(10, Math.floor(Math.log10(v) + 1e-12));
        for (double s : STEPS) {
            if (s * mag >= v * (1 - 1e-9)) {
                return s * mag;
            }
        }
        return 10 * mag;
    }

    @Override
    public double map(double v) {
        return r0 + (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) * (r1 - r0);
    }

    @Override
    public List<Double> ticks() {
        boolean wide = Math.log10(hi / lo) > 3;
        List<Double> t = new ArrayList<>();
        for (double mag = Math.pow(10, Math.floor(Math.log10(lo) + 1e-12)); mag <= hi * (1 + 1e-9); mag *= 10) {
            for (double s : wide ? new double[]{1} : STEPS) {
                double v = Math.round(s * mag / mag * 1e6) / 1e6 * mag;
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
                    t.add(v);
                }
            }
        }
        return t;
    }

    @Override
    public String label(double tick) {
        return AxisUnit.trim(Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6g", tick / unit.divisor())));
    }

    @Override
    public AxisUnit unit() {
        return unit;
    }
}
