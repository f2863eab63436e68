package dev.netbench.latency;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Records durations in nanoseconds: an HdrHistogram (3 significant digits, up to one hour) for percentiles,
 * and exact sums for the mean and standard deviation. Single writer, no locking: confined to one event loop.
 */
public final class LatencyRecorder {
    static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.HOURS.toNanos(1);
    private final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    private long sumNanos;
    /** Sum of squares in µs², as a double: nanoseconds squared overflow a long after a few seconds' worth. */
    private double sumSquaresMicros;

    public void record(long nanos) {
        long clamped = Math.min(Math.max(nanos, 1), HIGHEST_TRACKABLE_NANOS);
        histogram.recordValue(clamped);
        sumNanos += clamped;
        double micros = clamped / 1e3;
        sumSquaresMicros += micros * micros;
    }

    /**
     * The distributions of several runs as one, from the histograms they carry: counts and buckets added, so every
     * percentile is that of all their samples together, and the mean exact (the runs' exact means weighted by their
     * counts). Null if one carries no histogram; {@link RttFigures#EMPTY} for none.
     */
    public static RttFigures merge(java.util.List<RttFigures> runs) {
        LatencyRecorder all = new LatencyRecorder();
        double sumMicros = 0;
        for (RttFigures f : runs) {
            if (f.histogram() == null) {
                if (f.count() == 0) {
                    continue;
                }
                return null;
            }
            Histogram h;
            try {
                h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(f.histogram())), 0);
            } catch (java.util.zip.DataFormatException | RuntimeException e) {
                throw new IllegalArgumentException("not an HdrHistogram: " + e.getMessage(), e);
            }
            all.histogram.add(h);
            if (h.getTotalCount() > 0) {
                sumMicros += f.mean() * h.getTotalCount(); // the histogram's own count: a saved run's object has none beside it
            }
        }
        all.sumNanos = Math.round(sumMicros * 1e3);
        all.sumSquaresMicros = Double.NaN; // not carried by a run's figures: no standard deviation of the merge
        return all.stats();
    }

    /** Adds another recorder's samples, e.g. the streams of one test. */
    public void add(LatencyRecorder other) {
        histogram.add(other.histogram);
        sumNanos += other.sumNanos;
        sumSquaresMicros += other.sumSquaresMicros;
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public RttFigures stats() {
        long n = histogram.getTotalCount();
        if (n == 0) {
            return RttFigures.EMPTY;
        }
        Map<Double, Double> distribution = new LinkedHashMap<>();
        for (double p : RttFigures.resolvable(n)) {
            distribution.put(p, p == 0 ? minMicros() : p == 100 ? maxMicros() : percentileMicros(p));
        }
        return new RttFigures(n, minMicros(), meanMicros(), percentileMicros(50), percentileMicros(90),
                percentileMicros(99), percentileMicros(99.9), maxMicros(), distribution, encoded());
    }

    /** The histogram in HdrHistogram's compressed encoding (values in ns), base64: readable by HdrHistogram itself. */
    private String encoded() {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    /** The value at percentile {@code p} (0..100) in µs, NaN when empty. */
    public double percentileMicros(double p) {
        return count() == 0 ? Double.NaN : histogram.getValueAtPercentile(p) / 1e3;
    }

    /** Exact mean in µs, NaN when empty. */
    public double meanMicros() {
        return count() == 0 ? Double.NaN : sumNanos / (double) count() / 1e3;
    }

    /** Exact population standard deviation in µs, NaN when empty. */
    public double stddevMicros() {
        long n = count();
        if (n == 0) {
            return Double.NaN;
        }
        double mean = meanMicros();
        return Math.sqrt(Math.max(0, sumSquaresMicros / n - mean * mean));
    }

    public double minMicros() {
        return count() == 0 ? Double.NaN : histogram.getMinValue() / 1e3;
    }

    public double maxMicros() {
        return count() == 0 ? Double.NaN : histogram.getMaxValue() / 1e3;
    }
}
