package dev.netbench.client;

import dev.netbench.report.Interval;
import dev.netbench.report.TestResult;

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
}
