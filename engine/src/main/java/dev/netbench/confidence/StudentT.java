package dev.netbench.confidence;

/**
 * Student's t distribution: its two-sided tail probability, from the regularized incomplete beta function
 * (P(|T| ≥ t) = I_{ν/(ν+t²)}(ν/2, 1/2)), and the 97.5 % quantile that a 95 % interval needs, found by bisection on it,
 * for any positive degrees of freedom ν, including Welch's fractional ones.
 */
public final class StudentT {
    private StudentT() {
    }

    /** P(|T| ≥ |t|) for ν = {@code df} degrees of freedom: the two-sided p-value of a t statistic. */
    public static double twoSidedP(double t, double df) {
        requirePositive(df);
        if (Double.isInfinite(t)) {
            return 0;
        }
        return Beta.regularized(df / (df + t * t), df / 2, 0.5);
    }

    /** t(0.975, df): the half-width of a 95 % interval in standard errors. */
    public static double quantile975(double df) {
        requirePositive(df);
        double low = 0;
        double high = 1;
        while (twoSidedP(high, df) > 0.05) {
            high *= 2;
        }
        for (int i = 0; i < 200 && high - low > 1e-12 * high; i++) {
            double mid = (low + high) / 2;
            if (twoSidedP(mid, df) > 0.05) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return (low + high) / 2;
    }

    private static void requirePositive(double df) {
        if (!(df > 0)) {
            throw new IllegalArgumentException("degrees of freedom " + df + " not above 0");
        }
    }
}
