package dev.netbench.confidence;

import java.util.List;

/**
 * Whether B's samples differ from A's, by Welch's t-test (two-sided; unequal variances, Welch–Satterthwaite degrees of
 * freedom): the difference of the means in percent of A's mean, its 95 % confidence interval (mean difference ±
 * t(0.975, df) · se, over A's mean taken as exact), and the p-value. Significant when p < 0.05, which is when the
 * interval leaves out 0.
 */
public record Difference(double percent, double ci95LowPercent, double ci95HighPercent, double pValue, double df) {
    /** The fewest samples a side for a verdict. */
    public static final int MIN_SAMPLES = 3;

    /**
     * A difference whose whole interval lies within this many percent either way is called negligible even when it is
     * significant: two runs of one path differ by that much from drift alone (a tbf-shaped link measured twice).
     */
    public static final double NEGLIGIBLE_PERCENT = 1.0;

    public boolean significant() {
        return pValue < 0.05;
    }

    /** Significant, but too small to matter: the whole interval within ±{@link #NEGLIGIBLE_PERCENT}. */
    public boolean negligible() {
        return significant() && Math.abs(ci95LowPercent) < NEGLIGIBLE_PERCENT && Math.abs(ci95HighPercent) < NEGLIGIBLE_PERCENT;
    }

    /**
     * B against A; null if either side has fewer than {@link #MIN_SAMPLES} measured samples (NaN ones left out) or A's
     * mean is not positive (no percent of it).
     */
    public static Difference of(List<Double> a, List<Double> b) {
        Summary x = Summary.of(a);
        Summary y = Summary.of(b);
        if (x.n() < MIN_SAMPLES || y.n() < MIN_SAMPLES || !(x.mean() > 0)) {
            return null;
        }
        double va = x.sd() * x.sd() / x.n();
        double vb = y.sd() * y.sd() / y.n();
        double se = Math.sqrt(va + vb);
        double d = y.mean() - x.mean();
        double percent = d / x.mean() * 100;
        if (se == 0) {
            // no spread on either side: any difference is certain, none is none
            return new Difference(percent, percent, percent, d == 0 ? 1 : 0, Double.NaN);
        }
        double df = (va + vb) * (va + vb) / (va * va / (x.n() - 1) + vb * vb / (y.n() - 1));
        double half = StudentT.quantile975(df) * se / x.mean() * 100;
        return new Difference(percent, percent - half, percent + half, StudentT.twoSidedP(d / se, df), df);
    }
}
