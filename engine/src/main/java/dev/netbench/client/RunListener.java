package dev.netbench.client;

import dev.netbench.protocol.TestKind;
import dev.netbench.report.Interval;
import dev.netbench.report.TestResult;
import org.HdrHistogram.Histogram;

/**
 * What a run tells as it goes: progress lines (a test starting, the calibration), each -i {@link Interval} (by
 * default as its progress line), and each test's result as soon as it has one (--json-stream prints both).
 */
@FunctionalInterface
public interface RunListener {
    void progress(String line);

    default void interval(Interval interval) {
        progress(interval.line());
    }

    default void result(TestResult result) {
    }

    /**
     * A latency test's (tcp_lat, udp_lat, tcp_crr) -i interval as a histogram of its round trips (transactions), in
     * nanoseconds, just before {@link #interval} tells the same interval; valid only during the call (--hdr-log).
     */
    default void histogram(TestKind test, int msgSize, Interval interval, Histogram histogram) {
    }
}
