package dev.netbench.latency;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Responsiveness in round trips per minute (RPM), as draft-ietf-ippm-responsiveness computes it from one kind of
 * probe: 60 s divided by the trimmed mean of the round trips, the trimmed mean being the mean of the fastest 95 %
 * (the slowest 5 % dropped). The draft averages several probe kinds (TCP connect, TLS, HTTP on separate connections,
 * HTTP on the loaded ones); netbench's probes are its own round-trip test on connections beside the load's, the
 * draft's "foreign" probes, so its RPM is that one kind's (docs/metrics.md says so where it prints it).
 */
public final class Responsiveness {
    /** The share of round trips the trimmed mean keeps, the fastest first. */
    static final double KEPT = 0.95;

    private Responsiveness() {
    }

    /** RPM of the distribution's round trips; NaN when it has none or carries no histogram. */
    public static double rpm(RttFigures rtt) {
        if (rtt.histogram() == null || rtt.count() == 0) {
            return Double.NaN;
        }
        Histogram h;
        try {
            h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(rtt.histogram())), 0);
        } catch (java.util.zip.DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an HdrHistogram: " + e.getMessage(), e);
        }
        double meanNanos = trimmedMeanNanos(h);
        return Double.isNaN(meanNanos) ? Double.NaN : 60e9 / meanNanos;
    }

    /** The mean of the fastest {@link #KEPT} of the recorded values (at least one), in the histogram's unit. */
    static double trimmedMeanNanos(Histogram h) {
        long total = h.getTotalCount();
        if (total == 0) {
            return Double.NaN;
        }
        long keep = Math.max(1, Math.round(total * KEPT));
        long taken = 0;
        double sum = 0;
        for (HistogramIterationValue v : h.recordedValues()) {
            long n = Math.min(v.getCountAtValueIteratedTo(), keep - taken);
            sum += (double) n * h.medianEquivalentValue(v.getValueIteratedTo());
            taken += n;
            if (taken == keep) {
                break;
            }
        }
        return sum / keep;
    }
}
