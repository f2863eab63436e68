package dev.netbench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A scenario table for people (aligned text: a row per scenario, a column per metric, failed cells numbered and
 * explained below), as CSV (one line per cell, base units), and two tables side by side ({@code compare}).
 */
public final class ScenarioTableText {
    private ScenarioTableText() {
    }

    public static String format(ScenarioTable t) {
        List<String> header = new ArrayList<>(List.of("scenario", "source", "target"));
        t.columns().forEach(c -> header.add(c.label() != null ? c.label() : c.key()));
        List<List<String>> lines = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (ScenarioTable.Row r : t.rows()) {
            List<String> line = new ArrayList<>(List.of(label(r), nz(r.source()), nz(r.target())));
            for (int i = 0; i < t.columns().size(); i++) {
                ScenarioTable.Cell c = r.cells().get(i);
                if (c.ok() && c.note() == null) {
                    line.add(value(c.value(), t.columns().get(i).unit()));
                } else {
                    // one note per distinct reason in a row: a failed test fails all its columns for one reason
                    String note = label(r) + ": " + (c.ok() ? c.note() : c.error());
                    int n = notes.indexOf(note);
                    if (n < 0) {
                        notes.add(note);
                        n = notes.size() - 1;
                    }
                    line.add((c.ok() ? "n/a [" : "FAILED [") + (n + 1) + "]");
                }
            }
            lines.add(line);
        }
        StringBuilder out = new StringBuilder();
        if (t.title() != null) {
            out.append(t.title()).append('\n');
        }
        out.append(align(header, lines, 3));
        int samples = t.rows().stream().flatMap(r -> r.cells().stream()).mapToInt(c -> c.samples().size()).max().orElse(0);
        if (samples > 1) {
            out.append("Each value is the median of ").append(samples)
                    .append(" samples (--repeat); --json has every sample and the 95 % interval of their mean.\n");
        }
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
                out.append(String.join(",", csvField(r.scenario()), csvField(nz(r.label())), csvField(nz(r.source())),
                        csvField(nz(r.target())), csvField(col.key()), c.ok() ? String.valueOf(c.value()) : "",
                        csvField(nz(col.unit())), c.ok() ? "" : csvField(c.error()))).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * {@code b} against {@code a}: for every scenario and metric, both values and the difference in percent of
     * {@code a}, marked better or worse by the metric's direction; rows and metrics pair up as {@link ScenarioPairs}
     * says (the HTML comparison shows the same pairs).
     */
    public static String compare(ScenarioTable a, String nameA, ScenarioTable b, String nameB) {
        List<ScenarioPairs.Metric> metrics = ScenarioPairs.of(a, b);
        List<List<String>> lines = new ArrayList<>();
        int rows = metrics.isEmpty() ? 0 : metrics.get(0).pairs().size();
        for (int r = 0; r < rows; r++) {
            for (ScenarioPairs.Metric m : metrics) {
                ScenarioPairs.Pair p = m.pairs().get(r);
                String unit = m.column().unit();
                lines.add(List.of(p.label(), m.column().label() != null ? m.column().label() : m.column().key(),
                        p.a() == null ? "(absent)" : shown(p.a(), unit), p.b() == null ? "(absent)" : shown(p.b(), unit),
                        difference(ScenarioPairs.percent(p.a(), p.b()), m.column().higherIsBetter()),
                        ScenarioPairs.verdict(p, m.column().higherIsBetter())));
            }
        }
        return "compare: " + nameA + " (A) vs " + nameB + " (B); difference = (B - A) / A; verdict: Welch's t-test of the "
                + "samples' means, significant at p < 0.05\n"
                + align(List.of("scenario", "metric", "A", "B", "difference", "verdict"), lines, 2, true);
    }

    private static String difference(double p, boolean higherIsBetter) {
        if (Double.isNaN(p)) {
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
        String u = unit == null ? "" : unit;
        return switch (u) {
            case "bit/s" -> Units.bitsPerSecond(v);
            case "1/s" -> Units.si(v, "/s");
            case "us" -> Units.fixed3(v) + " us";
            case "" -> Units.fixed3(v);
            default -> Units.fixed3(v) + " " + u;
        };
    }

    /** The first {@code text} columns left-aligned, the figures after them right-aligned. */
    private static String align(List<String> header, List<List<String>> lines, int text) {
        return align(header, lines, text, false);
    }

    /** The same, with the last column left-aligned too when it holds words ({@code wordsLast}: compare's verdict). */
    private static String align(List<String> header, List<List<String>> lines, int text, boolean wordsLast) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> l : lines) {
                width[i] = Math.max(width[i], l.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendLine(out, header, width, text, wordsLast);
        lines.forEach(l -> appendLine(out, l, width, text, wordsLast));
        return out.toString();
    }

    private static void appendLine(StringBuilder out, List<String> cells, int[] width, int text, boolean wordsLast) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            boolean left = i < text || i == cells.size() - 1 && wordsLast;
            line.append(left ? String.format("%-" + width[i] + "s", c) : String.format("%" + width[i] + "s", c));
            line.append(i < cells.size() - 1 ? "  " : "");
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    /** A row's label, or its scenario key when a saved table has none. */
    private static String label(ScenarioTable.Row r) {
        return r.label() != null ? r.label() : r.scenario();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
