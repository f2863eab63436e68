package dev.netbench.latency;

/**
 * Round-trip-time statistics in microseconds. {@code mean} is exact (sum / count); the percentiles and
 * min/max come from the histogram, so each is within 0.1 % of the recorded value.
 */
public record RttStats(long count, double min, double mean, double p50, double p90, double p99, double p999, double max) {
    public static final RttStats EMPTY = new RttStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
}
