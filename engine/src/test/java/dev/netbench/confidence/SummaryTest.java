package dev.netbench.confidence;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryTest {
    @Test
    void fiveSamplesByHand() {
        // mean 12, deviations -2 -1 0 1 2: s = sqrt(10 / 4) = 1.5811; half-width 2.7764 * 1.5811 / sqrt(5) = 1.9632
        Summary s = Summary.of(List.of(13.0, 10.0, 12.0, 14.0, 11.0));
        assertEquals(5, s.n());
        assertEquals(12.0, s.median());
        assertEquals(10.0, s.min());
        assertEquals(14.0, s.max());
        assertEquals(12.0, s.mean(), 1e-12);
        assertEquals(Math.sqrt(2.5), s.sd(), 1e-12);
        assertEquals(12 - 1.9632, s.ci95Low(), 1e-3);
        assertEquals(12 + 1.9632, s.ci95High(), 1e-3);
    }

    @Test
    void anEvenCountsMedianIsTheMeanOfTheMiddleTwo() {
        // mean 5.5, s = sqrt(((4.5² + 1.5²) * 2) / 3) = sqrt(15) = 3.873; half-width 3.1824 * 3.873 / 2 = 6.1628
        Summary s = Summary.of(List.of(10.0, 1.0, 4.0, 7.0));
        assertEquals(5.5, s.median());
        assertEquals(5.5, s.mean(), 1e-12);
        assertEquals(5.5 - 6.1628, s.ci95Low(), 1e-3);
        assertEquals(5.5 + 6.1628, s.ci95High(), 1e-3);
    }

    @Test
    void identicalSamplesHaveAnIntervalOfNoWidth() {
        Summary s = Summary.of(List.of(3.0, 3.0, 3.0));
        assertEquals(3.0, s.ci95Low());
        assertEquals(3.0, s.ci95High());
    }

    @Test
    void oneSampleHasNoInterval() {
        Summary s = Summary.of(List.of(7.0));
        assertEquals(1, s.n());
        assertEquals(7.0, s.median());
        assertTrue(Double.isNaN(s.ci95Low()) && Double.isNaN(s.ci95High()));
    }

    @Test
    void anUnmeasuredSampleIsLeftOut() {
        Summary s = Summary.of(List.of(2.0, Double.NaN, 4.0));
        assertEquals(2, s.n());
        assertEquals(3.0, s.median());
        assertEquals(2.0, s.min());
        assertEquals(4.0, s.max());
        assertEquals(0, Summary.of(List.of(Double.NaN)).n());
    }
}
