package dev.netbench.latency;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * --hdr-log: each -i interval's latency histogram in HdrHistogram's interval log format, as its own
 * {@link HistogramLogWriter} writes it, so HdrHistogram's tools (HistogramLogReader, HistogramLogProcessor) read it:
 * a header (a comment, the format version, the start time, the legend), then one line per interval with its start
 * (seconds since the log began), its length, its maximum and its histogram (values in nanoseconds, compressed,
 * base64), tagged {@code TEST.MSG_SIZE} ({@code tcp_lat.1}), {@code .warmup} added for a warm-up interval.
 */
public final class HdrLog implements AutoCloseable {
    /** The maximum column of a line in milliseconds, as HdrHistogram's own logs of nanosecond values have it. */
    private static final double MAX_VALUE_UNIT_RATIO = 1e6;

    private final PrintStream out;
    private final HistogramLogWriter writer;
    private final long baseMillis;
    /** Where the current test began, and where the last interval written ended: seconds since the log began. */
    private double testStart;
    private double lastEnd;

    public HdrLog(OutputStream file, String comment) {
        this.out = new PrintStream(file, false, StandardCharsets.UTF_8);
        this.writer = new HistogramLogWriter(out);
        this.baseMillis = System.currentTimeMillis();
        writer.outputComment(comment);
        writer.outputLogFormatVersion();
        writer.outputStartTime(baseMillis);
        writer.setBaseTime(baseMillis);
        writer.outputLegend();
        out.flush();
    }

    /**
     * One interval of {@code test}'s round trips (tcp_crr's transactions) at {@code msgSize}, from {@code start} to
     * {@code end} seconds into the test; a test's first interval (start 0) ends now, which places the test in the log,
     * and its later ones follow on its own clock, so they join end to start. The histogram is left as it was, tag and
     * time stamps aside.
     */
    public synchronized void write(String test, int msgSize, boolean warmup, double start, double end, Histogram histogram) {
        if (start == 0) {
            testStart = Math.max(lastEnd, (System.currentTimeMillis() - baseMillis) / 1e3 - end);
        }
        histogram.setTag(test + "." + msgSize + (warmup ? ".warmup" : ""));
        writer.outputIntervalHistogram(testStart + start, testStart + end, histogram, MAX_VALUE_UNIT_RATIO);
        lastEnd = testStart + end;
        out.flush();
    }

    /** Whether writing has failed (a full disk): PrintStream keeps no exception, so the run asks once it ends. */
    public boolean failed() {
        return out.checkError();
    }

    @Override
    public void close() {
        out.close();
    }
}
