package dev.netbench.report.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The x axis of an HdrHistogram percentile plot: percentile p (0..100, 100 excluded) at log₁₀(1 / (1 − p/100)),
 * so 0 %, 90 %, 99 %, 99.9 % are equally spaced and the tail gets the room. Ticks at 0 %, 50 % and every
 * "nines" percentile up to the domain's end.
 */
final class PercentileScale implements Scale {
    final double maxPercentile;
    private final double r0;
    private final double r1;
    private final double span;

    /** A scale from 0 % to {@code maxPercentile} (rounded up to the next "nines", at least 90 %). */
    PercentileScale(double maxPercentile, double r0, double r1) {
        if (!(maxPercentile < 100) || maxPercentile < 0) {
            throw new IllegalArgumentException("a percentile scale ends below 100, not at " + maxPercentile);
        }
        this.span = Math.max(1, Math.ceil(position(maxPercentile) - 1e-9));
        this.maxPercentile = 100 - 100 / Math.pow(10, span);
        this.r0 = r0;
        this.r1 = r1;
    }

    /** log₁₀(1 / (1 − p/100)): 0 → 0, 90 → 1, 99 → 2, 99.9 → 3. */
    static double position(double p) {
        return -Math.log10(1 - p / 100);
    }

    @Override
    public double map(double p) {
        return r0 + position(p) / span * (r1 - r0);
    }

    @Override
    public List<Double> ticks() {
        List<Double> t = new ArrayList<>(List.of(0.0, 50.0));
        for (int nines = 1; nines <= span; nines++) {
            t.add(100 - 100 / Math.pow(10, nines));
        }
        return t;
    }

    @Override
    public String label(double p) {
        int decimals = 0;
        while (decimals < 8 && Math.abs(p * Math.pow(10, decimals) - Math.rint(p * Math.pow(10, decimals))) > 1e-6) {
            decimals++;
        }
        return String.format(Locale.ROOT, "%." + decimals + "f%%", p);
    }
}
