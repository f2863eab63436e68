package dev.netbench.report;

import dev.netbench.confidence.Difference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two scenario tables paired up for {@code compare} (text and HTML alike): metrics by column key (A's columns, then
 * B's extra ones); rows by scenario key and order, the n-th row of a scenario in A with the n-th in B (so
 * {@code --all-pairs} tables pair up too), A's rows first, then B's extra. A cell is null where its table lacks the
 * row or the column.
 */
public final class ScenarioPairs {
    private ScenarioPairs() {
    }

    /** One scenario's cells in one column of each table. */
    public record Pair(String scenario, String label, ScenarioTable.Cell a, ScenarioTable.Cell b) {
    }

    /** One metric of the comparison, with its pairs in row order. */
    public record Metric(ScenarioTable.Column column, List<Pair> pairs) {
    }

    public static List<Metric> of(ScenarioTable a, ScenarioTable b) {
        Map<String, ScenarioTable.Column> columns = new LinkedHashMap<>();
        a.columns().forEach(c -> columns.putIfAbsent(c.key(), c));
        b.columns().forEach(c -> columns.putIfAbsent(c.key(), c));
        Map<String, ScenarioTable.Row[]> rows = new LinkedHashMap<>(); // "scenario#n" → {A's row, B's row}
        index(a, rows, 0);
        index(b, rows, 1);
        List<Metric> out = new ArrayList<>();
        for (ScenarioTable.Column c : columns.values()) {
            List<Pair> pairs = new ArrayList<>();
            for (ScenarioTable.Row[] r : rows.values()) {
                ScenarioTable.Row any = r[0] != null ? r[0] : r[1];
                pairs.add(new Pair(any.scenario(), any.label() != null ? any.label() : any.scenario(),
                        cell(a, r[0], c.key()), cell(b, r[1], c.key())));
            }
            out.add(new Metric(c, pairs));
        }
        return out;
    }

    /** (B − A) ÷ A in %; NaN when either is missing or failed, or A is not positive. */
    public static double percent(ScenarioTable.Cell a, ScenarioTable.Cell b) {
        if (a == null || b == null || !a.ok() || !b.ok() || !Double.isFinite(a.value()) || !Double.isFinite(b.value())
                || a.value() <= 0) {
            return Double.NaN;
        }
        return (b.value() - a.value()) / a.value() * 100;
    }

    /**
     * Welch's test of B's samples against A's (matrix --repeat); null where a side failed or has fewer than
     * {@link Difference#MIN_SAMPLES} samples.
     */
    public static Difference difference(ScenarioTable.Cell a, ScenarioTable.Cell b) {
        if (a == null || b == null || !a.ok() || !b.ok()) {
            return null;
        }
        return Difference.of(a.samples(), b.samples());
    }

    /**
     * The verdict in words: "B is 12.3 % lower (95 % CI 8.1 to 16.0 %), significant (p = 0.003)", "within noise
     * (p = 0.41)", or why there is none. Empty where a side has no value.
     */
    public static String verdict(Pair p, boolean higherIsBetter) {
        if (p.a() == null || p.b() == null || !p.a().ok() || !p.b().ok()) {
            return "";
        }
        Difference d = difference(p.a(), p.b());
        if (d == null) {
            int na = Math.max(1, p.a().samples().size());
            int nb = Math.max(1, p.b().samples().size());
            return na < Difference.MIN_SAMPLES || nb < Difference.MIN_SAMPLES
                    ? String.format(Locale.ROOT, "no verdict: %d and %d samples (matrix --repeat %d or more on both)", na, nb,
                            Difference.MIN_SAMPLES)
                    : "no verdict: A's mean is not above 0";
        }
        String pValue = d.pValue() < 0.001 ? "p < 0.001" : String.format(Locale.ROOT, "p = %.3f", d.pValue());
        if (!d.significant()) {
            return "within noise (" + pValue + ")";
        }
        boolean higher = d.percent() > 0;
        String difference = String.format(Locale.ROOT, "B is %.1f %% %s (95 %% CI %.1f to %.1f %%)", Math.abs(d.percent()),
                higher ? "higher" : "lower", Math.abs(higher ? d.ci95LowPercent() : d.ci95HighPercent()),
                Math.abs(higher ? d.ci95HighPercent() : d.ci95LowPercent()));
        if (d.negligible()) {
            return String.format(Locale.ROOT, "negligible: %s, significant (%s) but under %.0f %%", difference, pValue,
                    Difference.NEGLIGIBLE_PERCENT);
        }
        return difference + ", " + (higher == higherIsBetter ? "better" : "worse") + ", significant (" + pValue + ")";
    }

    private static void index(ScenarioTable t, Map<String, ScenarioTable.Row[]> rows, int side) {
        Map<String, Integer> seen = new HashMap<>();
        for (ScenarioTable.Row r : t.rows()) {
            int nth = seen.merge(r.scenario(), 1, Integer::sum);
            rows.computeIfAbsent(r.scenario() + "#" + nth, k -> new ScenarioTable.Row[2])[side] = r;
        }
    }

    private static ScenarioTable.Cell cell(ScenarioTable t, ScenarioTable.Row r, String column) {
        if (r == null) {
            return null;
        }
        for (int i = 0; i < t.columns().size(); i++) {
            if (t.columns().get(i).key().equals(column)) {
                return r.cells().get(i);
            }
        }
        return null;
    }
}
