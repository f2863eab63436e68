package dev.netbench.confidence;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudentTTest {
    /** Textbook two-sided 95 % critical values (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2). */
    @Test
    void matchesTheTable() {
        assertEquals(12.706, StudentT.quantile975(1), 1e-3);
        assertEquals(4.303, StudentT.quantile975(2), 1e-3);
        assertEquals(2.776, StudentT.quantile975(4), 1e-3);
        assertEquals(2.228, StudentT.quantile975(10), 1e-3);
        assertEquals(2.042, StudentT.quantile975(30), 1e-3);
    }

    @Test
    void beyondThirtyDegreesTooItMeetsTheExactValues() {
        // exact t(0.975) for 31, 40, 60, 100 and 1000 degrees of freedom
        assertEquals(2.0395, StudentT.quantile975(31), 2e-4);
        assertEquals(2.0211, StudentT.quantile975(40), 2e-4);
        assertEquals(2.0003, StudentT.quantile975(60), 2e-4);
        assertEquals(1.9840, StudentT.quantile975(100), 2e-4);
        assertEquals(1.9623, StudentT.quantile975(1000), 2e-4);
    }

    @Test
    void tailProbabilitiesMatchClosedForms() {
        // one degree of freedom is Cauchy: P(|T| >= 1) = 1/2; two: P(|T| >= t) = 1 - t / sqrt(t^2 + 2)
        assertEquals(0.5, StudentT.twoSidedP(1, 1), 1e-12);
        assertEquals(1 - 2 / Math.sqrt(6), StudentT.twoSidedP(2, 2), 1e-12);
        assertEquals(1 - 0.5 / Math.sqrt(2.25), StudentT.twoSidedP(-0.5, 2), 1e-12);
        assertEquals(1.0, StudentT.twoSidedP(0, 7.5), 1e-12);
        // a large df is the normal distribution: P(|Z| >= 1.96) = 0.04999579
        assertEquals(0.0499958, StudentT.twoSidedP(1.96, 1e7), 1e-6);
        assertEquals(2.333040, StudentT.quantile975(7.5), 1e-6); // SciPy 1.17: t.ppf(0.975, 7.5)
        // table: t = 2.228 at 10 df is the 5 % point; t = 3.169 at 10 df the 1 % point
        assertEquals(0.05, StudentT.twoSidedP(2.2281, 10), 1e-4);
        assertEquals(0.01, StudentT.twoSidedP(3.1693, 10), 1e-4);
    }

    @Test
    void theQuantileOfAFractionalDfLiesBetweenItsNeighboursAndInvertsTheTail() {
        double q = StudentT.quantile975(7.5);
        assertTrue(StudentT.quantile975(8) < q && q < StudentT.quantile975(7), String.valueOf(q));
        assertEquals(0.05, StudentT.twoSidedP(q, 7.5), 1e-9);
    }

    @Test
    void noDegreesOfFreedomIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile975(0));
    }
}
