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

    /**
     * Saved matrix runs of one plan as one run measured again and again (netbench merge): the first table's rows and
     * columns, each cell sampled from every table's cell (a cell with samples gives them all; rows pair by scenario
     * and order, columns by key); a cell failed in one table fails, saying where; one no table measured stays as the
     * first table has it.
     */
    public static ScenarioTable merged(List<ScenarioTable> tables, List<String> names) {
        ScenarioTable first = tables.get(0);
        List<Row> rows = new java.util.ArrayList<>();
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (Row r : first.rows()) {
            int nth = seen.merge(r.scenario(), 1, Integer::sum);
            List<Cell> cells = new java.util.ArrayList<>();
            for (int c = 0; c < first.columns().size(); c++) {
                String key = first.columns().get(c).key();
                List<Double> samples = new java.util.ArrayList<>();
                Cell merged = null;
                for (int t = 0; t < tables.size() && merged == null; t++) {
                    Cell cell = tables.get(t).cell(r.scenario(), nth, key);
                    if (cell == null || cell.note() != null) {
                        continue;
                    }
                    if (!cell.ok()) {
                        merged = Cell.failed("in " + names.get(t) + ": " + cell.error());
                    } else if (cell.samples().isEmpty()) {
                        samples.add(cell.value());
                    } else {
                        samples.addAll(cell.samples());
                    }
                }
                cells.add(merged != null ? merged : samples.isEmpty() ? r.cells().get(c) : Cell.sampled(samples));
            }
            rows.add(new Row(r.scenario(), r.label(), r.source(), r.target(), cells));
        }
        return new ScenarioTable(first.title(), first.columns(), rows, first.baseline());
    }

    /** The n-th (from 1) row of {@code scenario}'s cell in column {@code key}, or null where there is none. */
    private Cell cell(String scenario, int nth, String key) {
        int column = -1;
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).key().equals(key)) {
                column = i;
            }
        }
        int n = 0;
        for (Row r : rows) {
            if (r.scenario().equals(scenario) && ++n == nth) {
                return column < 0 ? null : r.cells().get(column);
            }
        }
        return null;
    }

    public Row row(String scenario) {
        return rows.stream().filter(r -> r.scenario().equals(scenario)).findFirst().orElse(null);
    }
}
