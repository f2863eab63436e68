package dev.netbench.report.html;

import dev.netbench.report.ScenarioTable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeatmapTest {
    @Test
    void judgesAgainstTheBaselineInTheColumnsDirection() {
        Heatmap.Judgement faster = Heatmap.judge(18, 20, true);
        assertEquals(0.9, faster.ratio(), 1e-12);
        assertTrue(faster.score() < 0, "less bandwidth is worse");
        assertEquals(-10, faster.percent(), 1e-9);
        assertEquals("−10.0 % · worse", faster.words());
        Heatmap.Judgement lowerLatency = Heatmap.judge(18, 20, false);
        assertEquals(-faster.score(), lowerLatency.score(), 1e-12, "less latency is better by as much");
        assertEquals("−10.0 % · better", lowerLatency.words());
        assertEquals(1, Heatmap.judge(40, 20, true).score(), 1e-12, "twice as good saturates");
        assertEquals(1, Heatmap.judge(400, 20, true).score(), 1e-12);
        assertEquals(-1, Heatmap.judge(0, 20, true).score(), 1e-12, "nothing at all is as bad as it gets");
        assertEquals(1, Heatmap.judge(0, 20, false).score(), 1e-12);
        assertEquals("±0 % · same", Heatmap.judge(20, 20, true).words());
        assertEquals("+0.500 % · same", Heatmap.judge(20.1, 20, true).words(), "within 1 % reads as the same");
    }

    @Test
    void nothingToCompareWithoutAPositiveBaseline() {
        assertNull(Heatmap.judge(5, 0, true));
        assertNull(Heatmap.judge(5, -1, true));
        assertNull(Heatmap.judge(5, Double.NaN, true));
        assertNull(Heatmap.judge(Double.NaN, 5, true));
        assertNull(Heatmap.judge(-1, 5, true));
    }

    @Test
    void coloursRunFromNeutralToBetterOrWorse() {
        assertEquals(Heatmap.NEUTRAL, Heatmap.colour(0));
        assertEquals(Heatmap.BETTER.toLowerCase(), Heatmap.colour(1));
        assertEquals(Heatmap.WORSE.toLowerCase(), Heatmap.colour(-1));
        assertEquals(Heatmap.NEUTRAL, Heatmap.colour(Double.NaN));
        assertEquals("#9a9fa4", Heatmap.mix("#f2f2f2", "#424c56", 0.5));
        assertEquals("#000000", Heatmap.textColour(Heatmap.NEUTRAL));
        assertEquals("#ffffff", Heatmap.textColour(Heatmap.BETTER));
        assertEquals("#ffffff", Heatmap.textColour(Heatmap.WORSE));
        for (double s = -1; s <= 1; s += 0.01) {
            String bg = Heatmap.colour(s);
            String fg = Heatmap.textColour(bg);
            double l1 = Heatmap.luminance(bg);
            double l2 = Heatmap.luminance(fg);
            double contrast = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
            assertTrue(contrast >= 4.5, "WCAG AA text contrast at score " + s + ": " + contrast);
        }
    }

    @Test
    void rendersEveryCellWithItsValueAndVerdict() {
        ScenarioTable t = Fixtures.calico();
        String html = Heatmap.render(t, "h");
        assertEquals(t.rows().size(), html.split("<tr data-scenario=").length - 1);
        assertEquals(1, html.split("class=\"baseline\"").length - 1);
        assertTrue(html.contains("<span class=\"value\">9.41 Gbit/s</span><span class=\"delta\">baseline</span>"));
        assertTrue(html.contains("<span class=\"value\">31.2 Gbit/s</span><span class=\"delta\">+232 % · better</span>"));
        assertTrue(html.contains("<span class=\"value\">11.4 µs</span><span class=\"delta\">−50.6 % · better</span>"), "lower latency");
        assertTrue(html.contains("class=\"cell failed\" data-column=\"tcp_crr\"><span class=\"value\">failed</span>"
                + "<span class=\"delta\">connect: timed out after 5 s (netbench-agent-b:30575)</span>"));
        assertTrue(html.contains("higher is better") && html.contains("lower is better"));
        assertTrue(html.contains("2× better or more"), "the colour scale in words");
    }

    @Test
    void withoutABaselineNothingIsColoured() {
        ScenarioTable t = Fixtures.calico();
        ScenarioTable none = new ScenarioTable(t.title(), t.columns(), t.rows(), null);
        String html = Heatmap.render(none, "h");
        assertFalse(html.contains("data-score"));
        assertTrue(html.contains("no baseline"));
        ScenarioTable missing = new ScenarioTable(t.title(), t.columns(), t.rows(), "no-such-row");
        assertFalse(Heatmap.render(missing, "h").contains("data-score"));
    }

    @Test
    void aFailedBaselineCellLeavesItsColumnUncoloured() {
        ScenarioTable.Column c = new ScenarioTable.Column("bw", "bw", "bit/s", true);
        ScenarioTable t = new ScenarioTable("t", List.of(c), List.of(
                new ScenarioTable.Row("base", "base", null, null, List.of(ScenarioTable.Cell.failed("refused"))),
                new ScenarioTable.Row("other", "other", null, null, List.of(ScenarioTable.Cell.of(5e9)))), "base");
        String html = Heatmap.render(t, "h");
        assertFalse(html.contains("data-score"));
        assertTrue(html.contains("not comparable"));
    }

    @Test
    void aRepeatedCellSaysItsIntervalInItsText() {
        ScenarioTable.Column bw = new ScenarioTable.Column("tcp_bw", "bandwidth", "bit/s", true);
        ScenarioTable t = new ScenarioTable("t", List.of(bw), List.of(
                new ScenarioTable.Row("nn", "node to node", "a", "b", List.of(ScenarioTable.Cell.sampled(List.of(13e9, 10e9, 12e9, 14e9, 11e9)))),
                new ScenarioTable.Row("pp", "pod to pod", "a", "b", List.of(ScenarioTable.Cell.of(9e9)))), "nn");
        String html = Heatmap.render(t, "h");
        // mean 12 Gbit/s ± 2.7764 · 1.5811 / √5 = ±1.963
        assertTrue(html.contains("<span class=\"ci\">median of 5, 95 % CI 10.0 Gbit/s to 14.0 Gbit/s</span>"), html);
        assertEquals(1, html.split("class=\"ci\"", -1).length - 1, "a cell measured once has no interval");
    }
}
