package dev.netbench.report.html;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineChartTest {
    private static LineChart chart(LineChart.XKind kind, boolean log, LineChart.Point... points) {
        return new LineChart("c", "t", "k", kind, "Latency", "us", List.of(new LineChart.Series("s", List.of(points), null)), log);
    }

    @Test
    void pointsThatCannotBeDrawnAreLeftOutAndTheRestSorted() {
        LineChart c = chart(LineChart.XKind.MSG_SIZE, false, new LineChart.Point(64, 3), new LineChart.Point(0, 1),
                new LineChart.Point(4, Double.NaN), new LineChart.Point(1, 2), new LineChart.Point(16, Double.POSITIVE_INFINITY));
        assertEquals(List.of(new LineChart.Point(1, 2), new LineChart.Point(64, 3)), c.series().get(0).points());
        LineChart p = chart(LineChart.XKind.PERCENTILE, true, new LineChart.Point(0, 1), new LineChart.Point(99.9, 5),
                new LineChart.Point(100, 9), new LineChart.Point(-1, 1));
        assertEquals(List.of(0.0, 99.9), p.series().get(0).points().stream().map(LineChart.Point::x).toList(), "no 100th, no negative");
    }

    @Test
    void latenciesSpanningTwentyTimesGetALogAxis() {
        assertInstanceOf(LinearScale.class, chart(LineChart.XKind.MSG_SIZE, true, new LineChart.Point(1, 10), new LineChart.Point(2, 150)).yScale());
        ValueScale wide = chart(LineChart.XKind.MSG_SIZE, true, new LineChart.Point(1, 10), new LineChart.Point(2, 200)).yScale();
        assertInstanceOf(DecadeScale.class, wide);
        assertInstanceOf(LinearScale.class, chart(LineChart.XKind.MSG_SIZE, false, new LineChart.Point(1, 10), new LineChart.Point(2, 2000)).yScale(),
                "not for charts that keep a linear axis (bandwidth)");
        assertInstanceOf(LinearScale.class, chart(LineChart.XKind.MSG_SIZE, true, new LineChart.Point(1, 0), new LineChart.Point(2, 2000)).yScale(),
                "a zero has no place on a log axis");
        assertTrue(chart(LineChart.XKind.PERCENTILE, true, new LineChart.Point(0, 10), new LineChart.Point(99, 5000)).yTitleWithUnit()
                .equals("Latency (ms, log scale)"));
    }

    @Test
    void axesFollowTheData() {
        LineChart c = chart(LineChart.XKind.MSG_SIZE, false, new LineChart.Point(1, 10), new LineChart.Point(65536, 40));
        Scale x = c.xScale();
        assertEquals(LineChart.LEFT, x.map(1), 1e-9);
        assertEquals(LineChart.WIDTH - LineChart.RIGHT, x.map(65536), 1e-9);
        assertEquals(LineChart.HEIGHT - LineChart.BOTTOM, c.yScale().map(0), 1e-9);
        assertEquals("Message size (bytes, log scale)", c.xTitle());
        LineChart p = chart(LineChart.XKind.PERCENTILE, false, new LineChart.Point(0, 10), new LineChart.Point(99.99, 40));
        assertEquals(List.of("0%", "50%", "90%", "99%", "99.9%", "99.99%"), p.xScale().ticks().stream().map(p.xScale()::label).toList());
        LineChart empty = new LineChart("c", "t", "k", LineChart.XKind.MSG_SIZE, "Latency", "us", List.of(), true);
        assertTrue(empty.render().contains("<svg"), "an empty chart still draws its axes");
    }

    @Test
    void everyPointHasItsValueInWords() {
        String svg = chart(LineChart.XKind.MSG_SIZE, false, new LineChart.Point(65536, 1850)).render();
        assertTrue(svg.contains("data-x=\"65536\" data-y=\"1850\""), svg);
        assertTrue(svg.contains("<title>s: 64 KiB → 1.85 ms</title>"), svg);
        assertTrue(svg.contains("<th scope=\"row\">64 KiB</th><td>1.85 ms</td>"), "and in the data table");
    }
}
