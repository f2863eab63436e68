package dev.netbench.report.html;

import java.util.ArrayList;
import java.util.List;

/**
 * A linear scale from 0 (or the data's minimum, if negative) to a "nice" maximum: the domain is widened to whole
 * steps of 1, 2, 2.5 or 5 × 10ⁿ so that every tick has a short label. Labels are the tick divided by the
 * {@link AxisUnit}'s divisor, with as many decimals as the step needs.
 */
final class LinearScale implements ValueScale {
    final double lo;
    final double hi;
    final double step;
    private final double r0;
    private final double r1;
    private final AxisUnit unit;

    private LinearScale(double lo, double hi, double step, double r0, double r1, AxisUnit unit) {
        this.lo = lo;
        this.hi = hi;
        this.step = step;
        this.r0 = r0;
        this.r1 = r1;
        this.unit = unit;
    }

    /**
     * A scale whose domain covers 0 and every finite value in {@code [min, max]} with about {@code targetTicks}
     * steps; an empty or all-zero domain becomes [0, 1]. {@code unit} is picked from the domain's maximum.
     */
    static LinearScale nice(double min, double max, int targetTicks, double r0, double r1, String baseUnit) {
        double lo = Double.isFinite(min) ? Math.min(0, min) : 0;
        double hi = Double.isFinite(max) ? Math.max(0, max) : 0;
        if (hi - lo <= 0) {
            hi = lo + 1;
        }
        double step = niceStep((hi - lo) / Math.max(1, targetTicks));
        lo = Math.floor(lo / step + 1e-9) * step;
        hi = Math.ceil(hi / step - 1e-9) * step;
        return new LinearScale(lo, hi, step, r0, r1, AxisUnit.pick(baseUnit, Math.max(Math.abs(lo), Math.abs(hi))));
    }

    /** The smallest of 1, 2, 2.5, 5 × 10ⁿ at least {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0) || !Double.isFinite(raw)) {
            return 1;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double f : new double[]{1, 2, 2.5, 5, 10}) {
            if (f * mag >= raw * (1 - 1e-9)) {
                return f * mag;
            }
        }
        return 10 * mag;
    }

    @Override
    public AxisUnit unit() {
        return unit;
    }

    @Override
    public double map(double v) {
        return r0 + (v - lo) / (hi - lo) * (r1 - r0);
    }

    @Override
    public List<Double> ticks() {
        List<Double> t = new ArrayList<>();
        long n = Math.round((hi - lo) / step);
        for (long i = 0; i <= n; i++) {
            double v = lo + i * step;
            t.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return t;
    }

    @Override
    public String label(double tick) {
        return unit.number(tick, step);
    }
}
