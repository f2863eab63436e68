package dev.netbench.report;

import dev.netbench.confidence.Difference;
import dev.netbench.json.JsonWriter;

/**
 * {@code compare --json}: every pair of cells {@link ScenarioPairs} makes, with both values, the difference of the
 * values in percent of A's, and, where both sides have samples enough, Welch's test of them (docs/metrics.md,
 * "compare").
 */
public final class ComparisonJson {
    private ComparisonJson() {
    }

    public static String format(ScenarioTable a, String nameA, ScenarioTable b, String nameB, String version) {
        JsonWriter w = new JsonWriter(true);
        w.beginObject(null).value("tool", "netbench").value("version", version).value("schema_version", JsonReport.SCHEMA_VERSION)
                .value("a", nameA).value("b", nameB);
        w.beginArray("comparisons");
        for (ScenarioPairs.Metric m : ScenarioPairs.of(a, b)) {
            ScenarioTable.Column c = m.column();
            for (ScenarioPairs.Pair p : m.pairs()) {
                Difference d = ScenarioPairs.difference(p.a(), p.b());
                w.beginObject(null)
                        .value("scenario", p.scenario())
                        .value("label", p.label())
                        .value("metric", c.key())
                        .value("unit", c.unit())
                        .value("higher_is_better", c.higherIsBetter());
                side(w, "a", p.a());
                side(w, "b", p.b());
                w.value("difference_percent", ScenarioPairs.percent(p.a(), p.b()))
                        .value("mean_difference_percent", d == null ? Double.NaN : d.percent());
                if (d == null) {
                    w.value("ci95", (String) null).value("p_value", (String) null).value("significant", (String) null);
                } else {
                    w.beginArray("ci95").value(null, d.ci95LowPercent()).value(null, d.ci95HighPercent()).endArray()
                            .value("p_value", d.pValue())
                            .value("significant", d.significant());
                }
                w.value("verdict", ScenarioPairs.verdict(p, c.higherIsBetter()));
                w.endObject();
            }
        }
        return w.endArray().endObject() + "\n";
    }

    /** One side's cell: its value (null where absent, failed or not measured), sample count and error. */
    private static void side(JsonWriter w, String name, ScenarioTable.Cell cell) {
        w.beginObject(name)
                .value("value", cell == null || !cell.ok() ? Double.NaN : cell.value())
                .value("sample_count", cell == null || !cell.ok() ? 0 : Math.max(1, cell.samples().size()));
        if (cell != null && !cell.ok()) {
            w.value("error", cell.error());
        }
        if (cell == null) {
            w.value("absent", true);
        }
        w.endObject();
    }
}
