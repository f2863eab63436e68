package dev.netbench.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A scenario table for people (aligned text: a row per scenario, a column per metric, failed cells numbered and
 * explained below), as CSV (one line per cell, base units), and two tables side by side ({@code compare}).
 */
public final class ScenarioTableText {
    private ScenarioTableText() {
    }

    public static String format(ScenarioTable t) {
        List<String> header = new ArrayList<>(List.of("scenario", "source", "target"));
        t.columns().forEach(c -> header.add(c.label()));
        List<List<String>> lines = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (ScenarioTable.Row r : t.rows()) {
            List<String> line = new ArrayList<>(List.of(r.label(), nz(r.source()), nz(r.target())));
            for (int i = 0; i < t.columns().size(); i++) {
                ScenarioTable.Cell c = r.cells().get(i);
                if (c.ok()) {
                    line.add(value(c.value(), t.columns().get(i).unit()));
                } else {
                    // one note per distinct reason in a row: a failed test fails all its columns for one reason
                    String note = r.label() + ": " + c.error();
                    int n = notes.indexOf(note);
                    if (n < 0) {
                        notes.add(note);
                        n = notes.size() - 1;
                    }
                    line.add("FAILED [" + (n + 1) + "]");
                }
            }
            lines.add(line);
        }
        StringBuilder out = new StringBuilder();
        if (t.title() != null) {
            out.append(t.title()).append('\n');
        }
        out.append(align(header, lines, 3));
        for (int i = 0; i < notes.size(); i++) {
            out.append('[').append(i + 1).append("] ").append(notes.get(i)).append('\n');
        }
        return out.toString();
    }

    /** One line per cell: scenario,label,source,target,metric,value,unit,error (values in the JSON's base units). */
    public static String csv(ScenarioTable t) {
        StringBuilder out = new StringBuilder("scenario,label,source,target,metric,value,unit,error\n");
        for (ScenarioTable.Row r : t.rows()) {
            for (int i = 0; i < t.columns().size(); i++) {
                ScenarioTable.Column col = t.columns().get(i);
                ScenarioTable.Cell c = r.cells().get(i);
                out.append(String.join(",", csvField(r.scenario()), csvField(r.label()), csvField(nz(r.source())),
                        csvField(nz(r.target())), csvField(col.key()), c.ok() ? String.valueOf(c.value()) : "",
                        csvField(col.unit()), c.ok() ? "" : csvField(c.error()))).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * {@code b} against {@code a}: for every scenario and metric both have, both values and the difference in percent
     * of {@code a}, marked better or worse by the metric's direction. Rows pair up by scenario key and order (the
     * n-th row of a scenario in one with the n-th in the other), metrics by column key.
     */
    public static String compare(ScenarioTable a, String nameA, ScenarioTable b, String nameB) {
        List<List<String>> lines = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (ScenarioTable.Row ra : a.rows()) {
            int nth = seen.merge(ra.scenario(), 1, Integer::sum);
            ScenarioTable.Row rb = b.rows().stream().filter(r -> r.scenario().equals(ra.scenario())).skip(nth - 1L)
                    .findFirst().orElse(null);
            for (int i = 0; i < a.columns().size(); i++) {
                ScenarioTable.Column col = a.columns().get(i);
                int j = columnIndex(b, col.key());
                ScenarioTable.Cell ca = ra.cells().get(i);
                ScenarioTable.Cell cb = rb == null || j < 0 ? null : rb.cells().get(j);
                lines.add(List.of(ra.label(), col.label(), shown(ca, col.unit()),
                        cb == null ? "(absent)" : shown(cb, col.unit()), difference(ca, cb, col.higherIsBetter())));
            }
        }
        for (ScenarioTable.Row rb : b.rows()) {
            if (a.rows().stream().noneMatch(r -> r.scenario().equals(rb.scenario()))) {
                lines.add(List.of(rb.label(), "(all)", "(absent)", "present", ""));
            }
        }
        return "compare: " + nameA + " (A) vs " + nameB + " (B); difference = (B - A) / A\n"
                + align(List.of("scenario", "metric", "A", "B", "difference"), lines, 2);
    }

    /** (b - a) / a in percent, or empty when either is missing or a is zero. */
    static Double percent(double a, double b) {
        return a == 0 || Double.isNaN(a) || Double.isNaN(b) ? null : (b - a) / a * 100;
    }

    private static String difference(ScenarioTable.Cell a, ScenarioTable.Cell b, boolean higherIsBetter) {
        if (b == null || !a.ok() || !b.ok()) {
            return "";
        }
        Double p = percent(a.value(), b.value());
        if (p == null) {
            return "";
        }
        String sign = String.format(Locale.ROOT, "%+.1f %%", p);
        if (Math.abs(p) < 0.05) {
            return sign;
        }
        return sign + ((p > 0) == higherIsBetter ? " (better)" : " (worse)");
    }

    private static String shown(ScenarioTable.Cell c, String unit) {
        return c.ok() ? value(c.value(), unit) : "FAILED";
    }

    /** A base-unit value as people read it: bit/s with SI prefixes, microseconds, rates per second. */
    static String value(double v, String unit) {
        return switch (unit) {
            case "bit/s" -> Units.bitsPerSecond(v);
            case "1/s" -> Units.si(v, "/s");
            case "us" -> Units.fixed3(v) + " us";
            default -> Units.fixed3(v) + " " + unit;
        };
    }

    private static int columnIndex(ScenarioTable t, String key) {
        for (int i = 0; i < t.columns().size(); i++) {
            if (t.columns().get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** The first {@code text} columns left-aligned, the figures after them right-aligned. */
    private static String align(List<String> header, List<List<String>> lines, int text) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> l : lines) {
                width[i] = Math.max(width[i], l.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendLine(out, header, width, text);
        lines.forEach(l -> appendLine(out, l, width, text));
        return out.toString();
    }

    private static void appendLine(StringBuilder out, List<String> cells, int[] width, int text) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            line.append(i < text ? String.format("%-" + width[i] + "s", c) : String.format("%" + width[i] + "s", c));
            line.append(i < cells.size() - 1 ? "  " : "");
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
