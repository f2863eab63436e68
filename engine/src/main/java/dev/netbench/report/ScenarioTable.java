package dev.netbench.report;

import dev.netbench.confidence.Summary;

import java.util.List;
import java.util.Objects;

/**
 * A table of scenarios (rows) by metrics (columns), as a cluster matrix produces it and as {@code compare} and the
 * HTML report read it. A cell holds a measured value or the reason it has none. {@code baseline} names the row the
 * others are judged against (node to node), or is null.
 */
public record ScenarioTable(String title, List<Column> columns, List<Row> rows, String baseline) {
    public ScenarioTable {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        for (Row r : rows) {
            if (r.cells().size() != columns.size()) {
                throw new IllegalArgumentException("row " + r.scenario() + " has " + r.cells().size() + " cells for "
                        + columns.size() + " columns");
            }
        }
    }

    /** One metric: a stable key (JSON/CSV name), what a reader sees, its unit, and which direction is better. */
    public record Column(String key, String label, String unit, boolean higherIsBetter) {
    }

    /** One scenario: a stable key, its display label, and the two endpoints measured for it. */
    public record Row(String scenario, String label, String source, String target, List<Cell> cells) {
        public Row {
            cells = List.copyOf(cells);
        }
    }

    /**
     * A measured value; or no value because the test failed ({@code error}); or no value because the figure does
     * not apply to the scenario, and why ({@code note}: a cost both ends' shared CPU cannot split). {@code samples}:
     * a cell measured N times (matrix --repeat), its N values in the order measured, and {@code value} their median;
     * empty for a cell measured once.
     */
    public record Cell(double value, String error, String note, List<Double> samples) {
        public Cell {
            samples = List.copyOf(samples);
        }

        public Cell(double value, String error, String note) {
            this(value, error, note, List.of());
        }

        public static Cell of(double value) {
            return new Cell(value, null, null);
        }

        /** A figure measured again and again: its median, with every sample (NaN ones, not measured, left out of it). */
        public static Cell sampled(List<Double> samples) {
            return new Cell(Summary.of(samples).median(), null, null, samples);
        }

        /**
         * One cell from the same cell measured again and again ({@code cells}, in order: one a matrix round, or one a saved
         * run): failed if one failed ({@code where} names which, from its index); as the first is if none applied (each not
         * applicable); else their samples, a cell with samples giving all of them and one not applicable a NaN (not
         * measured that time), with their median.
         */
        public static Cell combined(List<Cell> cells, java.util.function.IntFunction<String> where) {
            for (int i = 0; i < cells.size(); i++) {
                if (!cells.get(i).ok()) {
                    return failed(where.apply(i) + ": " + cells.get(i).error());
                }
            }
            if (cells.stream().allMatch(c -> c.note() != null)) {
                return cells.get(0);
            }
            List<Double> samples = new java.util.ArrayList<>();
            for (Cell c : cells) {
                if (c.samples().isEmpty()) {
                    samples.add(c.value());
                } else {
                    samples.addAll(c.samples());
                }
            }
            return sampled(samples);
        }

        /** What the samples say; null for a cell measured once. */
        public Summary summary() {
            return samples.size() < 2 ? null : Summary.of(samples);
        }

        public static Cell failed(String reason) {
            return new Cell(Double.NaN, Objects.requireNonNull(reason), null);
        }

        public static Cell notApplicable(String reason) {
            return new Cell(Double.NaN, null, Objects.requireNonNull(reason));
        }

        public boolean ok() {
            return error == null;
        }
    }

    /**
     * Saved matrix runs of one plan as one run measured again and again (netbench merge): the first table's rows and
     * columns, each cell {@linkplain Cell#combined combined} from every table's cell that {@link ScenarioPairs} pairs
     * with it (rows by scenario and order, columns by key); a table without the cell gives no sample of it.
     */
    public static ScenarioTable merged(List<ScenarioTable> tables, List<String> names) {
        ScenarioTable first = tables.get(0);
        // paired[t][column] = the metric of first against table t: its pairs begin with the first table's rows, in order
        List<List<ScenarioPairs.Metric>> paired = tables.stream().map(t -> ScenarioPairs.of(first, t)).toList();
        List<Row> rows = new java.util.ArrayList<>();
        for (int r = 0; r < first.rows().size(); r++) {
            Row row = first.rows().get(r);
            List<Cell> cells = new java.util.ArrayList<>();
            for (int c = 0; c < first.columns().size(); c++) {
                List<Cell> measured = new java.util.ArrayList<>();
                List<String> from = new java.util.ArrayList<>();
                for (int t = 0; t < tables.size(); t++) {
                    Cell cell = paired.get(t).get(c).pairs().get(r).b();
                    if (cell != null) {
                        measured.add(cell);
                        from.add(names.get(t));
                    }
                }
                cells.add(Cell.combined(measured, i -> "in " + from.get(i)));
            }
            rows.add(new Row(row.scenario(), row.label(), row.source(), row.target(), cells));
        }
        return new ScenarioTable(first.title(), first.columns(), rows, first.baseline());
    }

    public Row row(String scenario) {
        return rows.stream().filter(r -> r.scenario().equals(scenario)).findFirst().orElse(null);
    }
}
