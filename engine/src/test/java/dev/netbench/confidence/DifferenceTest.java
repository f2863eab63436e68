package dev.netbench.confidence;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DifferenceTest {
    /** Welch's worked example (two samples of 15, unequal variances); reference values from SciPy 1.17's ttest_ind. */
    @Test
    void welchsExample() {
        List<Double> a = List.of(27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4);
        List<Double> b = List.of(27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4);
        Difference d = Difference.of(a, b);
        assertEquals(24.988529, d.df(), 1e-5);
        assertEquals(0.0213780, d.pValue(), 1e-6);
        assertEquals(10.406660, d.percent(), 1e-5);
        assertEquals(1.677411, d.ci95LowPercent(), 1e-5);
        assertEquals(19.135909, d.ci95HighPercent(), 1e-5);
        assertTrue(d.significant());
        Difference back = Difference.of(b, a);
        assertEquals(d.pValue(), back.pValue(), 1e-12, "the test is symmetric; only the percent's base differs");
    }

    @Test
    void theSameMeansAreWithinNoise() {
        Difference d = Difference.of(List.of(100.0, 102.0, 98.0), List.of(100.0, 101.0, 99.0));
        assertEquals(1.0, d.pValue(), 1e-12);
        assertEquals(2.941176, d.df(), 1e-5);
        assertFalse(d.significant());
        assertTrue(d.ci95LowPercent() < 0 && d.ci95HighPercent() > 0);
    }

    @Test
    void noSpreadOnEitherSideMakesAnyDifferenceCertain() {
        assertEquals(0, Difference.of(List.of(2.0, 2.0, 2.0), List.of(3.0, 3.0, 3.0)).pValue());
        assertEquals(50.0, Difference.of(List.of(2.0, 2.0, 2.0), List.of(3.0, 3.0, 3.0)).percent(), 1e-12);
        assertEquals(1, Difference.of(List.of(2.0, 2.0, 2.0), List.of(2.0, 2.0, 2.0)).pValue());
    }

    @Test
    void fewerThanThreeMeasuredSamplesASideGiveNoVerdict() {
        assertNull(Difference.of(List.of(1.0, 2.0), List.of(1.0, 2.0, 3.0)));
        assertNull(Difference.of(List.of(1.0, 2.0, Double.NaN), List.of(1.0, 2.0, 3.0)));
        assertNull(Difference.of(List.of(0.0, 0.0, 0.0), List.of(1.0, 2.0, 3.0)), "no percent of a zero mean");
    }
}
