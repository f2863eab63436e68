package dev.netbench.latency;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponsivenessTest {

    private static RttFigures of(long... millis) {
        LatencyRecorder r = new LatencyRecorder();
        for (long ms : millis) {
            r.record(TimeUnit.MILLISECONDS.toNanos(ms));
        }
        return r.stats();
    }

    @Test
    void sixtySecondsOverTheMeanOfTheFastestNinetyFivePercent() {
        long[] ms = new long[100];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = i + 1; // 1..100 ms: the fastest 95 are 1..95 ms, mean 48 ms
        }
        assertEquals(60_000.0 / 48, Responsiveness.rpm(of(ms)), 60_000.0 / 48 * 1e-3);
    }

    @Test
    void theSlowestFivePercentDoNotCount() {
        long[] ms = new long[100];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = i < 95 ? 2 : 1000;
        }
        // the untrimmed mean (51.9 ms) would read 1156 RPM
        assertEquals(30_000, Responsiveness.rpm(of(ms)), 30);
    }

    @Test
    void oneRoundTripIsItsOwnMeanAndNoneIsNotANumber() {
        assertEquals(60_000.0 / 7, Responsiveness.rpm(of(7)), 60_000.0 / 7 * 1e-3);
        assertTrue(Double.isNaN(Responsiveness.rpm(RttFigures.EMPTY)));
    }
}
