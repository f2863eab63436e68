package dev.netbench.report.html;

import dev.netbench.report.ScenarioPairs;
import dev.netbench.report.ScenarioTable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparisonTest {
    private static final ScenarioTable.Column BW = new ScenarioTable.Column("bw", "Bandwidth", "bit/s", true);
    private static final ScenarioTable.Column LAT = new ScenarioTable.Column("lat", "Latency", "us", false);
    private static final ScenarioTable.Column CRR = new ScenarioTable.Column("crr", "CRR", "1/s", true);

    private static ScenarioTable.Row row(String s, double... v) {
        return new ScenarioTable.Row(s, s.toUpperCase(), null, null,
                java.util.Arrays.stream(v).mapToObj(x -> Double.isNaN(x) ? ScenarioTable.Cell.failed("down") : ScenarioTable.Cell.of(x)).toList());
    }

    @Test
    void matchesRowsByScenarioAndColumnsByKey() {
        ScenarioTable a = new ScenarioTable("a", List.of(BW, LAT), List.of(row("nn", 10, 20), row("pp", 8, 30)), "nn");
        ScenarioTable b = new ScenarioTable("b", List.of(LAT, CRR), List.of(row("pp", 25, 100), row("svc", 40, 90)), "nn");
        List<ScenarioPairs.Metric> m = ScenarioPairs.of(a, b);
        assertEquals(List.of("bw", "lat", "crr"), m.stream().map(x -> x.column().key()).toList(), "A's columns, then B's extra");
        ScenarioPairs.Metric lat = m.get(1);
        assertEquals(List.of("nn", "pp", "svc"), lat.pairs().stream().map(ScenarioPairs.Pair::scenario).toList(), "A's rows, then B's extra");
        assertEquals(20, lat.pairs().get(0).a().value());
        assertNull(lat.pairs().get(0).b(), "B has no nn row");
        assertEquals(30, lat.pairs().get(1).a().value());
        assertEquals(25, lat.pairs().get(1).b().value());
        assertNull(m.get(0).pairs().get(1).b(), "B has no bw column");
        assertEquals("not in b", Comparison.diffWords(m.get(0).pairs().get(1), true, "a", "b"));
        assertEquals("not in a", Comparison.diffWords(lat.pairs().get(2), false, "a", "b"));
        assertEquals("−16.7 % · better", Comparison.diffWords(lat.pairs().get(1), false, "a", "b"), "lower latency in B");
    }

    @Test
    void percentDifferenceOfBAgainstA() {
        assertEquals(10, ScenarioPairs.percent(ScenarioTable.Cell.of(10), ScenarioTable.Cell.of(11)), 1e-9);
        assertEquals(-50, ScenarioPairs.percent(ScenarioTable.Cell.of(10), ScenarioTable.Cell.of(5)), 1e-9);
        assertTrue(Double.isNaN(ScenarioPairs.percent(ScenarioTable.Cell.of(0), ScenarioTable.Cell.of(5))));
        assertTrue(Double.isNaN(ScenarioPairs.percent(ScenarioTable.Cell.failed("x"), ScenarioTable.Cell.of(5))));
        assertTrue(Double.isNaN(ScenarioPairs.percent(null, ScenarioTable.Cell.of(5))));
    }

    @Test
    void repeatedCellsCarryTheirIntervalsAndTheVerdictInWords() {
        ScenarioTable a = new ScenarioTable("a", List.of(BW), List.of(new ScenarioTable.Row("nn", "NN", null, null,
                List.of(ScenarioTable.Cell.sampled(List.of(200.0, 201.0, 199.0))))), null);
        ScenarioTable b = new ScenarioTable("b", List.of(BW), List.of(new ScenarioTable.Row("nn", "NN", null, null,
                List.of(ScenarioTable.Cell.sampled(List.of(150.0, 151.0, 149.0))))), null);
        String html = Comparison.render(a, "calico", b, "cilium");
        // each side: mean ± 4.3027 · 1 / √3
        double half = 4.3027 / Math.sqrt(3);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("class=\"whisker\" data-low=\"([^\"]+)\" data-high=\"([^\"]+)\"")
                .matcher(html);
        assertTrue(m.find(), html);
        assertEquals(200 - half, Double.parseDouble(m.group(1)), 1e-3);
        assertEquals(200 + half, Double.parseDouble(m.group(2)), 1e-3);
        assertTrue(m.find(), "B's bar has its whisker too");
        assertEquals(150 - half, Double.parseDouble(m.group(1)), 1e-3);
        assertTrue(html.contains("B is 25.0 % lower (95 % CI"), html);
        assertTrue(html.contains("worse, significant (p &lt; 0.001)"), html);
    }

    @Test
    void failuresAreSaid() {
        ScenarioTable a = new ScenarioTable("a", List.of(BW), List.of(row("nn", Double.NaN)), null);
        ScenarioTable b = new ScenarioTable("b", List.of(BW), List.of(row("nn", 5)), null);
        ScenarioPairs.Pair p = ScenarioPairs.of(a, b).get(0).pairs().get(0);
        assertEquals("failed in calico", Comparison.diffWords(p, true, "calico", "cilium"));
        String html = Comparison.render(a, "calico", b, "cilium");
        assertTrue(html.contains("calico: failed: down"), html);
        assertTrue(html.contains("data-diff=\"NaN\""));
    }

    @Test
    void drawsAPairOfBarsPerScenarioWithTheirValues() {
        String html = Comparison.render(Fixtures.calico(), "calico", Fixtures.cilium(), "cilium");
        assertEquals(5, html.split("data-kind=\"compare\"").length - 1, "a chart per metric");
        assertEquals(5 * 6, html.split("<g class=\"pair\"").length - 1, "a pair per scenario in each");
        assertTrue(html.contains(">calico 9.41 Gbit/s</text>"), "A's bar says whose and how much");
        assertTrue(html.contains(">cilium 9.38 Gbit/s</text>"));
        assertTrue(html.contains("data-scenario=\"pod-pod\" data-diff=\"13.7157\""), "(9.12 − 8.02) ÷ 8.02");
        assertTrue(html.contains(">+13.7 % · better</text>"));
        assertTrue(html.contains("cilium: failed: server answered ERROR: test refused: busy"));
        assertTrue(html.contains("<table class=\"comparison\">"), "and all of it as a table");
    }
}
