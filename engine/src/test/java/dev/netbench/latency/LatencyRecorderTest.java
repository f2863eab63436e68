package dev.netbench.latency;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyRecorderTest {

    @Test
    void percentilesOfAUniformRamp() {
        LatencyRecorder r = new LatencyRecorder();
        for (int us = 1; us <= 10_000; us++) {
            r.record(us * 1000L);
        }
        RttFigures s = r.stats();
        assertEquals(10_000, s.count());
        assertEquals(5000.5, s.mean(), 1e-9, "mean is exact, not from buckets");
        assertEquals(5000, s.p50(), 5000 * 0.001 + 1);
        assertEquals(9000, s.p90(), 9000 * 0.001 + 1);
        assertEquals(9900, s.p99(), 9900 * 0.001 + 1);
        assertEquals(9990, s.p999(), 9990 * 0.001 + 1);
        assertEquals(10_000, s.max(), 10);
        assertEquals(1, s.min(), 0.01);
    }

    @Test
    void tailIsVisible() {
        LatencyRecorder r = new LatencyRecorder();
        for (int i = 0; i < 990; i++) {
            r.record(20_000);
        }
        for (int i = 0; i < 10; i++) {
            r.record(5_000_000);
        }
        RttFigures s = r.stats();
        assertEquals(20, s.p50(), 0.05);
        assertEquals(20, s.p99(), 0.05);
        assertEquals(5000, s.p999(), 5);
        assertEquals((990 * 20 + 10 * 5000) / 1000.0, s.mean(), 1e-9);
    }

    @Test
    void mergingAndClamping() {
        LatencyRecorder a = new LatencyRecorder();
        LatencyRecorder b = new LatencyRecorder();
        a.record(1000);
        b.record(3000);
        b.record(-5);
        b.record(Long.MAX_VALUE);
        a.add(b);
        assertEquals(4, a.count());
        assertTrue(a.stats().max() <= LatencyRecorder.HIGHEST_TRACKABLE_NANOS / 1e3 * 1.001);
        assertEquals(0.001, a.stats().min(), 1e-9, "non-positive samples count as 1 ns");
    }

    @Test
    void standardDeviationIsExact() {
        LatencyRecorder r = new LatencyRecorder();
        for (long us : new long[]{2, 4, 4, 4, 5, 5, 7, 9}) {
            r.record(us * 1000);
        }
        assertEquals(5.0, r.meanMicros(), 1e-12);
        assertEquals(2.0, r.stddevMicros(), 1e-9, "the textbook population sd of 2,4,4,4,5,5,7,9");
    }

    @Test
    void emptyRecorderHasNoFigures() {
        RttFigures s = new LatencyRecorder().stats();
        assertEquals(0, s.count());
        assertTrue(Double.isNaN(s.mean()));
        assertTrue(Double.isNaN(new LatencyRecorder().stddevMicros()));
        assertTrue(Double.isNaN(new LatencyRecorder().percentileMicros(50)));
    }

    @Test
    void theLadderHasThreePointsPerDecadeOfTheTail() {
        assertEquals(java.util.List.of(0.0, 50.0, 75.0, 90.0, 95.0, 97.5, 99.0, 99.5, 99.75, 99.9, 99.95, 99.975,
                99.99, 99.995, 99.9975, 99.999, 99.9995, 99.99975, 99.9999, 100.0), RttFigures.LADDER);
    }

    @Test
    void theDistributionGoesAsFarAsTheSamplesResolve() {
        assertEquals(java.util.List.of(), RttFigures.resolvable(0));
        assertEquals(java.util.List.of(0.0, 50.0, 100.0), RttFigures.resolvable(2));
        assertEquals(java.util.List.of(0.0, 50.0, 75.0, 90.0, 95.0, 97.5, 99.0, 99.5, 99.75, 99.9, 100.0),
                RttFigures.resolvable(1000));
        LatencyRecorder r = new LatencyRecorder();
        for (int us = 1; us <= 1000; us++) {
            r.record(us * 1000L);
        }
        RttFigures s = r.stats();
        assertEquals(RttFigures.resolvable(1000), java.util.List.copyOf(s.percentiles().keySet()));
        assertEquals(1, s.percentiles().get(0.0), 0.001, "0 is the minimum");
        assertEquals(900, s.percentiles().get(90.0), 1);
        assertEquals(999, s.percentiles().get(99.9), 1);
        assertEquals(s.max(), s.percentiles().get(100.0), "100 is the maximum");
        double last = 0;
        for (double v : s.percentiles().values()) {
            assertTrue(v >= last, "ascending");
            last = v;
        }
        assertTrue(new LatencyRecorder().stats().percentiles().isEmpty());
    }

    private static org.HdrHistogram.Histogram decode(String base64) throws java.util.zip.DataFormatException {
        return org.HdrHistogram.Histogram.decodeFromCompressedByteBuffer(
                java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(base64)), 0);
    }

    @Test
    void theHistogramTravelsWholeAndMergedHistogramsGiveWhatOneFedEverythingGives() throws Exception {
        LatencyRecorder a = new LatencyRecorder();
        LatencyRecorder b = new LatencyRecorder();
        LatencyRecorder all = new LatencyRecorder();
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 20_000; i++) {
            long nanos = 5_000 + (long) (random.nextDouble() * random.nextDouble() * 2_000_000); // a long tail
            (i % 3 == 0 ? a : b).record(nanos);
            all.record(nanos);
        }
        RttFigures s = a.stats();
        org.HdrHistogram.Histogram h = decode(s.histogram());
        assertEquals(s.count(), h.getTotalCount());
        // the design guarantees equality: the figures come from this very histogram
        assertEquals(s.p99(), h.getValueAtPercentile(99) / 1e3);
        assertEquals(s.p999(), h.getValueAtPercentile(99.9) / 1e3);
        assertEquals(s.max(), h.getMaxValue() / 1e3);
        org.HdrHistogram.Histogram merged = decode(a.stats().histogram());
        merged.add(decode(b.stats().histogram()));
        RttFigures one = all.stats();
        assertEquals(one.count(), merged.getTotalCount());
        for (double p : new double[] {50, 90, 99, 99.9, 99.99}) {
            assertEquals(all.percentileMicros(p), merged.getValueAtPercentile(p) / 1e3, "p" + p);
        }
        assertEquals(one.histogram(), all.stats().histogram(), "the encoding is deterministic");
    }
}
