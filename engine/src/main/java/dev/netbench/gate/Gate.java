package dev.netbench.gate;

import dev.netbench.json.Json;
import dev.netbench.report.JsonReport;
import dev.netbench.report.RunReport;
import dev.netbench.report.ScenarioTable;
import dev.netbench.report.Units;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Checks {@code --fail-if} thresholds against a finished run, through the run's own JSON document, so a threshold
 * names a figure exactly as the JSON does and sees the value the JSON carries. Every result of the threshold's test
 * is checked (each message size of a sweep). A figure that was not measured (null) breaches: a gate that cannot see
 * the figure does not pass it.
 */
public final class Gate {
    /** The exit code of a run that finished but breached a threshold: 1 says the run itself failed, 2 a bad argument. */
    public static final int BREACHED = 3;

    private Gate() {
    }

    /** One threshold that held for one result: {@code measured} null when the figure was not measured. */
    public record Breach(Threshold threshold, String where, Double measured) {
        /** One line for stderr. */
        public String message() {
            String value = measured == null ? "not measured" : "measured " + format(measured, threshold.unit());
            return "threshold breached: " + threshold.text() + ": " + where + " " + value;
        }
    }

    /** The thresholds {@code run} breaches, in the order given; IllegalArgumentException if one names no figure. */
    public static List<Breach> check(List<Threshold> thresholds, RunReport run) {
        return check(thresholds, Json.parseObject(JsonReport.format(run)));
    }

    static List<Breach> check(List<Threshold> thresholds, Map<String, Object> document) {
        List<Breach> breaches = new ArrayList<>();
        List<?> results = document.get("results") instanceof List<?> l ? l : List.of();
        for (Threshold t : thresholds) {
            for (Object o : results) {
                if (!(o instanceof Map<?, ?> result) || !t.test().equals(result.get("test"))) {
                    continue;
                }
                Double measured = figure(result, t);
                if (measured == null || t.op().holds(measured, t.value())) {
                    breaches.add(new Breach(t, where(result), measured));
                }
            }
        }
        return breaches;
    }

    /**
     * The thresholds a matrix's table breaches, each on the column {@code columnOf} names for it (null: none shows
     * its figure), in every scenario whose cell has a value or says why not (a failed cell fails the run already).
     */
    public static List<Breach> check(List<Threshold> thresholds, ScenarioTable table, Function<Threshold, String> columnOf) {
        List<Breach> breaches = new ArrayList<>();
        List<String> keys = table.columns().stream().map(ScenarioTable.Column::key).toList();
        for (Threshold t : thresholds) {
            String key = columnOf.apply(t);
            int i = key == null ? -1 : keys.indexOf(key);
            if (i < 0) {
                throw new IllegalArgumentException("'" + t.text() + "': the table has no column of " + t.test() + "'s " + t.path()
                        + " (its columns: " + String.join(", ", keys) + ")");
            }
            for (ScenarioTable.Row row : table.rows()) {
                ScenarioTable.Cell cell = row.cells().get(i);
                if (!cell.ok()) {
                    continue;
                }
                Double measured = Double.isNaN(cell.value()) ? null : cell.value();
                if (measured == null || t.op().holds(measured, t.value())) {
                    String ends = row.source() != null ? " (" + row.source() + " > " + row.target() + ")" : "";
                    breaches.add(new Breach(t, row.scenario() + ends, measured));
                }
            }
        }
        return breaches;
    }

    /** The figure at the threshold's path; an object with a {@code total} (http's failed) stands for its total. */
    private static Double figure(Map<?, ?> result, Threshold t) {
        Object at = result;
        for (String key : t.path().split("\\.")) {
            if (at == null) {
                return null; // a distribution that was not measured: its percentiles were not either
            }
            if (!(at instanceof Map<?, ?> m) || !m.containsKey(key)) {
                throw new IllegalArgumentException("'" + t.text() + "': a " + t.test() + " result has no figure '" + t.path()
                        + "' (its figures: " + String.join(", ", keys(result)) + ")");
            }
            at = m.get(key);
        }
        if (at instanceof Map<?, ?> m && m.get("total") instanceof Number n) {
            return n.doubleValue();
        }
        if (at == null || at instanceof Number) {
            return at == null ? null : ((Number) at).doubleValue();
        }
        throw new IllegalArgumentException("'" + t.text() + "': " + t.path() + " is not a number");
    }

    private static List<String> keys(Map<?, ?> result) {
        return result.entrySet().stream().filter(e -> e.getValue() == null || e.getValue() instanceof Number
                || e.getValue() instanceof Map<?, ?>).map(e -> String.valueOf(e.getKey())).toList();
    }

    private static String where(Map<?, ?> result) {
        return result.get("test") + (result.get("msg_size") instanceof Number n ? " at msg " + Units.msgSize(n.intValue()) : "");
    }

    private static String format(double v, Threshold.Unit unit) {
        return switch (unit) {
            case MICROSECONDS -> String.format(Locale.ROOT, "%.1f us", v);
            case MILLISECONDS -> String.format(Locale.ROOT, "%.3f ms", v);
            case BITS_PER_SECOND -> Units.bitsPerSecond(v);
            case PERCENT -> String.format(Locale.ROOT, "%.3f %%", v);
            case NUMBER -> v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4g", v);
        };
    }
}
