package dev.netbench.report.html;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalesTest {
    private static List<String> labels(Scale s) {
        return s.ticks().stream().map(s::label).toList();
    }

    @Test
    void niceStepsAreOneTwoTwoAndAHalfOrFive() {
        assertEquals(1, LinearScale.niceStep(0.7), 1e-12);
        assertEquals(1, LinearScale.niceStep(1), 1e-12);
        assertEquals(2, LinearScale.niceStep(1.3), 1e-12);
        assertEquals(2.5, LinearScale.niceStep(2.2), 1e-12);
        assertEquals(5, LinearScale.niceStep(3), 1e-12);
        assertEquals(10, LinearScale.niceStep(7), 1e-12);
        assertEquals(0.025, LinearScale.niceStep(0.023), 1e-12);
        assertEquals(5e9, LinearScale.niceStep(4.74e9), 1);
        assertEquals(1, LinearScale.niceStep(0));
        assertEquals(1, LinearScale.niceStep(Double.NaN));
    }

    @Test
    void linearBandwidthAxisInGbitPerSecond() {
        LinearScale s = LinearScale.nice(0, 23.7e9, 5, 324, 16, "bit/s");
        assertEquals(0, s.lo);
        assertEquals(25e9, s.hi, 1);
        assertEquals(List.of("0", "5", "10", "15", "20", "25"), labels(s));
        assertEquals("Gbit/s", s.unit().text());
        assertEquals(324, s.map(0), 1e-9, "range runs bottom to top");
        assertEquals(16, s.map(25e9), 1e-9);
        assertEquals(170, s.map(12.5e9), 1e-9);
    }

    @Test
    void linearAxisStartsAtZeroAndEndsOnAStep() {
        LinearScale s = LinearScale.nice(0, 79, 5, 0, 100, "us");
        assertEquals(List.of(0.0, 20.0, 40.0, 60.0, 80.0), s.ticks());
        assertEquals("µs", s.unit().text());
        LinearScale exact = LinearScale.nice(0, 80, 4, 0, 100, "us");
        assertEquals(80, exact.hi, 1e-9, "a maximum on a step is not pushed a step further");
        LinearScale fractional = LinearScale.nice(0, 2.3e9, 5, 0, 100, "bit/s");
        assertEquals(List.of("0.0", "0.5", "1.0", "1.5", "2.0", "2.5"), labels(fractional), "decimals as the step needs");
        LinearScale ms = LinearScale.nice(0, 3150, 5, 0, 100, "us");
        assertEquals("ms", ms.unit().text());
        assertEquals(List.of("0", "1", "2", "3", "4"), labels(ms), "3150 µs in five steps: 1 ms each");
    }

    @Test
    void linearAxisCoversNegativeValuesAndSurvivesEmptyData() {
        LinearScale s = LinearScale.nice(-3, 7, 5, 0, 100, "");
        assertEquals(-4, s.lo, 1e-9);
        assertEquals(8, s.hi, 1e-9);
        assertTrue(s.ticks().contains(0.0));
        LinearScale empty = LinearScale.nice(0, 0, 5, 0, 100, "bit/s");
        assertEquals(0, empty.lo);
        assertEquals(1, empty.hi, 1e-9);
        LinearScale nan = LinearScale.nice(Double.NaN, Double.NaN, 5, 0, 100, "us");
        assertEquals(1, nan.hi, 1e-9);
    }

    @Test
    void messageSizeAxisIsLogTwoWithSizeLabels() {
        LogScale s = new LogScale(1, 65536, 76, 712, 10);
        assertEquals(List.of("1 B", "4 B", "16 B", "64 B", "256 B", "1 KiB", "4 KiB", "16 KiB", "64 KiB"), labels(s),
                "17 powers of two thinned to every second one");
        assertEquals(76, s.map(1), 1e-9);
        assertEquals(712, s.map(65536), 1e-9);
        assertEquals(394, s.map(256), 1e-9, "256 B is halfway between 1 B and 64 KiB on a log scale");
        assertEquals(s.map(4) - s.map(1), s.map(64) - s.map(16), 1e-9, "equal ratios, equal distances");
        LogScale few = new LogScale(1024, 8192, 0, 100, 10);
        assertEquals(List.of("1 KiB", "2 KiB", "4 KiB", "8 KiB"), labels(few));
        LogScale odd = new LogScale(1000, 1500, 0, 100, 10);
        assertEquals(List.of("1 KiB"), labels(odd), "only the powers of two inside the domain");
    }

    @Test
    void aSingleSizeSitsInTheMiddle() {
        LogScale s = new LogScale(128, 128, 0, 100, 10);
        assertEquals(50, s.map(128), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> new LogScale(0, 64, 0, 100, 10));
        assertThrows(IllegalArgumentException.class, () -> new LogScale(64, 32, 0, 100, 10));
    }

    @Test
    void percentileAxisSpreadsTheTail() {
        assertEquals(0, PercentileScale.position(0), 1e-12);
        assertEquals(1, PercentileScale.position(90), 1e-12);
        assertEquals(2, PercentileScale.position(99), 1e-9);
        assertEquals(3, PercentileScale.position(99.9), 1e-9);
        PercentileScale s = new PercentileScale(99.9, 0, 300);
        assertEquals(List.of("0%", "50%", "90%", "99%", "99.9%"), labels(s));
        assertEquals(0, s.map(0), 1e-9);
        assertEquals(100, s.map(90), 1e-9);
        assertEquals(200, s.map(99), 1e-9);
        assertEquals(300, s.map(99.9), 1e-6);
        assertEquals(100 * Math.log10(2), s.map(50), 1e-9);
        PercentileScale rounded = new PercentileScale(99.5, 0, 300);
        assertEquals(99.9, rounded.maxPercentile, 1e-9, "the domain ends on the next nines");
        assertEquals(List.of("0%", "50%", "90%"), labels(new PercentileScale(50, 0, 100)), "at least up to 90%");
        assertEquals("99.999%", new PercentileScale(99.999, 0, 100).label(99.999));
        assertThrows(IllegalArgumentException.class, () -> new PercentileScale(100, 0, 100));
    }

    @Test
    void decadeAxisForLongTails() {
        assertEquals(20, DecadeScale.below(37), 1e-9);
        assertEquals(50, DecadeScale.above(37), 1e-9);
        assertEquals(0.01, DecadeScale.below(0.018), 1e-12);
        assertEquals(100, DecadeScale.above(51), 1e-9);
        assertEquals(10, DecadeScale.below(10), 1e-9);
        DecadeScale narrow = new DecadeScale(18, 95, 300, 0, "us");
        assertEquals(List.of(10.0, 20.0, 50.0, 100.0), narrow.ticks());
        assertEquals(List.of("10", "20", "50", "100"), labels(narrow));
        assertEquals(300, narrow.map(10), 1e-9);
        assertEquals(0, narrow.map(100), 1e-9);
        DecadeScale wide = new DecadeScale(18, 25_700, 300, 0, "us");
        assertEquals("ms", wide.unit().text());
        assertEquals(List.of("0.01", "0.1", "1", "10"), labels(wide), "powers of ten only past three decades");
        assertThrows(IllegalArgumentException.class, () -> new DecadeScale(0, 10, 0, 1, "us"));
    }

    @Test
    void unitsScaleToTheirValues() {
        assertEquals(new AxisUnit("Gbit/s", 1e9), AxisUnit.pick("bit/s", 9.4e9));
        assertEquals(new AxisUnit("bit/s", 1), AxisUnit.pick("bit/s", 0));
        assertEquals(new AxisUnit("µs", 1), AxisUnit.pick("us", 999));
        assertEquals(new AxisUnit("ms", 1e3), AxisUnit.pick("us", 25_000));
        assertEquals(new AxisUnit("s", 1e6), AxisUnit.pick("us", 2e6));
        assertEquals(new AxisUnit("k/s", 1e3), AxisUnit.pick("1/s", 5120));
        assertEquals(new AxisUnit("%", 1), AxisUnit.pick("%", 5000));
        assertEquals("9.41 Gbit/s", AxisUnit.format(9.41e9, "bit/s"));
        assertEquals("1.85 ms", AxisUnit.format(1850, "us"));
        assertEquals("23.1 µs", AxisUnit.format(23.1, "us"));
        assertEquals("5.12 k/s", AxisUnit.format(5120, "1/s"));
        assertEquals("12.5/s", AxisUnit.format(12.5, "1/s"));
        assertEquals("0.125 %", AxisUnit.format(0.125, "%"));
        assertEquals("n/a", AxisUnit.format(Double.NaN, "bit/s"));
        assertEquals("µs", AxisUnit.display("us"));
        assertEquals("per second", AxisUnit.display("1/s"));
    }
}
