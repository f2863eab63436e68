package dev.netbench.latency;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Round-trip-time statistics in microseconds. {@code mean} is exact (sum / count); the percentiles and
 * min/max come from the histogram, so each is within 0.1 % of the recorded value. {@code percentiles} is the
 * distribution along {@link #LADDER} (percentile → µs, ascending), as far as {@code count} resolves it: what the
 * HTML report's percentile plot draws. {@code histogram} is the whole distribution, in nanoseconds, as HdrHistogram's
 * compressed encoding in base64 (null where not kept: an interval's), so saved runs can be merged and any percentile
 * computed exactly as this run's own were.
 */
public record RttFigures(long count, double min, double mean, double p50, double p90, double p99, double p999, double max,
                       Map<Double, Double> percentiles, String histogram) {
    public static final RttFigures EMPTY = new RttFigures(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /**
     * The percentiles of the distribution: 0, 50, 75, then 90, 95, 97.5 and the same steps toward 100 in every
     * further decade (99, 99.5, 99.75, 99.9, …) down to 99.9999, and 100: three points per decade of
     * 1/(1 − p), as an HdrHistogram percentile plot spaces them.
     */
    public static final List<Double> LADDER = ladder();

    public RttFigures {
        percentiles = Collections.unmodifiableMap(new LinkedHashMap<>(percentiles));
    }

    /** Statistics without a percentile distribution. */
    public RttFigures(long count, double min, double mean, double p50, double p90, double p99, double p999, double max) {
        this(count, min, mean, p50, p90, p99, p999, max, Map.of());
    }

    /** Statistics without the histogram they came from. */
    public RttFigures(long count, double min, double mean, double p50, double p90, double p99, double p999, double max,
                      Map<Double, Double> percentiles) {
        this(count, min, mean, p50, p90, p99, p999, max, percentiles, null);
    }

    /**
     * The ladder's percentiles that {@code count} samples resolve: p is included when at least one sample lies
     * above it (count × (1 − p/100) ≥ 1), so 1000 samples go up to 99.9; 100 (the maximum) always.
     */
    public static List<Double> resolvable(long count) {
        List<Double> out = new ArrayList<>();
        if (count <= 0) {
            return out;
        }
        for (double p : LADDER) {
            if (p == 100 || count * (100 - p) / 100 >= 1 - 1e-9) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<Double> ladder() {
        List<Double> l = new ArrayList<>(List.of(0.0, 50.0, 75.0));
        for (int decade = 1; decade <= 6; decade++) {
            double tail = Math.pow(10, -decade) * 100; // % above the point: 10, 1, 0.1, ...
            for (double f : new double[]{1, 0.5, 0.25}) {
                if (decade == 6 && f < 1) {
                    break;
                }
                // round to the ladder's own decimals so 100 - 0.025 prints as 99.975, not 99.97500000000001
                l.add(Math.round((100 - tail * f) * 1e8) / 1e8);
            }
        }
        l.add(100.0);
        return List.copyOf(l);
    }
}
