package dev.netbench.confidence;

import java.util.Arrays;
import java.util.List;

/**
 * What {@code n} samples of one figure say: their median (the mean of the two middle ones for an even n), min,
 * max, mean and standard deviation ({@code sd}, n − 1 in its denominator), and the 95 % confidence interval of the
 * mean by Student's t ({@code mean ± t(0.975, n−1) · sd/√n}); sd and the interval are NaN with fewer than two
 * samples. A NaN sample (a figure one run could not measure) is left out of every statistic; {@code n} counts the
 * others.
 */
public record Summary(int n, double median, double min, double max, double mean, double sd, double ci95Low, double ci95High) {

    public static Summary of(List<Double> samples) {
        double[] v = samples.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
        int n = v.length;
        if (n == 0) {
            return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        double mean = Arrays.stream(v).sum() / n;
        if (n < 2) {
            return new Summary(n, median, v[0], v[n - 1], mean, Double.NaN, Double.NaN, Double.NaN);
        }
        double squares = 0;
        for (double x : v) {
            squares += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        double halfWidth = StudentT.quantile975(n - 1) * sd / Math.sqrt(n);
        return new Summary(n, median, v[0], v[n - 1], mean, sd, mean - halfWidth, mean + halfWidth);
    }
}
