package dev.netbench.latency;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The round trips (or tcp_crr transactions) of every stream of one test, warm-up included, for -i lines: any number
 * of event loops record without locking (HdrHistogram's {@link Recorder}: wait-free writers), and the interval
 * reporter takes what was recorded since its last line. One histogram for all streams, so a line's percentiles are
 * those of every stream's samples, never a rate divided across them.
 */
public final class IntervalLatency {
    private final Recorder recorder = new Recorder(3);
    private Histogram recycled;

    public void record(long nanos) {
        recorder.recordValue(Math.min(Math.max(nanos, 1), LatencyRecorder.HIGHEST_TRACKABLE_NANOS));
    }

    /** The histogram (ns) the last {@link #sinceLast} took its figures from, until the next call; null before any. */
    public Histogram last() {
        return recycled;
    }

    /** The samples since the last call (since creation at the first), in µs; for one reader thread. */
    public RttFigures sinceLast() {
        Histogram h = recorder.getIntervalHistogram(recycled);
        recycled = h;
        if (h.getTotalCount() == 0) {
            return RttFigures.EMPTY;
        }
        return new RttFigures(h.getTotalCount(), h.getMinValue() / 1e3, h.getMean() / 1e3, h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
                h.getMaxValue() / 1e3);
    }

    /** A client endpoint whose round trips or transactions -i lines show: it records each into the test's {@link IntervalLatency}. */
    public interface Timed {
        /** Before the endpoint starts, on its event loop. */
        void recordIntervals(IntervalLatency intervals);
    }
}
