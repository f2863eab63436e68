package dev.netbench.report;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The one rule for a cell measured again and again (matrix rounds, merged saved runs), and the median run's pick. */
class RepeatedCellsTest {
    private static final ScenarioTable.Cell NA = ScenarioTable.Cell.notApplicable("shared CPU");

    @Test
    void aFailedSampleFailsTheCellSayingWhich() {
        ScenarioTable.Cell c = ScenarioTable.Cell.combined(List.of(ScenarioTable.Cell.of(1), ScenarioTable.Cell.failed("refused")),
                i -> "sample " + (i + 1));
        assertEquals("sample 2: refused", c.error());
    }

    @Test
    void aFigureThatNeverAppliedStaysNotApplicable() {
        assertSame(NA, ScenarioTable.Cell.combined(List.of(NA, ScenarioTable.Cell.notApplicable("again")), i -> ""));
    }

    @Test
    void samplesInOrderANotApplicableOneNotMeasuredACellWithSamplesAllOfThem() {
        ScenarioTable.Cell c = ScenarioTable.Cell.combined(List.of(ScenarioTable.Cell.of(3), NA,
                ScenarioTable.Cell.sampled(List.of(1.0, 5.0))), i -> "");
        assertEquals(Arrays.asList(3.0, Double.NaN, 1.0, 5.0), c.samples());
        assertEquals(3.0, c.value(), "the median of what was measured");
    }

    @Test
    void theMedianRunIsTheMiddleOneTheLowerOfTwoAndAnUnmeasuredOneCountsHighest() {
        assertEquals(2, Samples.medianRun(List.of(5.0, 1.0, 3.0)));
        assertEquals(1, Samples.medianRun(List.of(4.0, 2.0, 3.0, 1.0)), "2 and 3 in the middle: the lower");
        assertEquals(0, Samples.medianRun(List.of(2.0, Double.NaN, 1.0)), "NaN above every value");
    }
}
