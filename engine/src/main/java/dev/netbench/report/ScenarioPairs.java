package dev.netbench.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
