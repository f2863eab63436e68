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

    public Row row(String scenario) {
        return rows.stream().filter(r -> r.scenario().equals(scenario)).findFirst().orElse(null);
    }
}
