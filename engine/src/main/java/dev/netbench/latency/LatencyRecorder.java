package dev.netbench.latency;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * Records round-trip times in nanoseconds: an HdrHistogram (3 significant digits, up to one hour) for
 * percentiles, and an exact sum for the mean. Single writer, no locking: confined to one event loop.
 */
public final class LatencyRecorder {
    static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.HOURS.toNanos(1);
    private final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    private long sumNanos;

    public void record(long nanos) {
        long clamped = Math.min(Math.max(nanos, 1), HIGHEST_TRACKABLE_NANOS);
        histogram.recordValue(clamped);
        sumNanos += clamped;
    }

    /** Adds another recorder's samples, e.g. the streams of one test. */
    public void add(LatencyRecorder other) {
        histogram.add(other.histogram);
        sumNanos += other.sumNanos;
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public RttStats stats() {
        long n = histogram.getTotalCount();
        if (n == 0) {
            return RttStats.EMPTY;
        }
        return new RttStats(n, histogram.getMinValue() / 1e3, sumNanos / (double) n / 1e3,
                percentileMicros(50), percentileMicros(90), percentileMicros(99), percentileMicros(99.9),
                histogram.getMaxValue() / 1e3);
    }

    private double percentileMicros(double p) {
        return histogram.getValueAtPercentile(p) / 1e3;
    }
}
