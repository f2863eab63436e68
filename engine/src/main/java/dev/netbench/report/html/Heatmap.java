package dev.netbench.report.html;

import dev.netbench.confidence.Summary;

import dev.netbench.report.ScenarioTable;

import java.util.Locale;

/**
 * A scenario table as a heatmap: each cell coloured by how it compares with the baseline row's value in its column,
 * blue where better, orange where worse (the column says which direction is better), deeper with the ratio up to
 * 2× either way. Every cell also says it in words (value, % against the baseline, "better"/"worse"), so nothing
 * depends on seeing colour; a failed cell says "failed" and why, on a hatched background.
 */
final class Heatmap {
    static final String NEUTRAL = "#f2f2f2";
    static final String BETTER = "#2166ac";
    static final String WORSE = "#b35806";

    private Heatmap() {
    }

    /**
     * A cell against its baseline: {@code ratio} = value / baseline, {@code score} in [−1, 1], positive when better,
     * ±1 at twice as good or bad (log₂ of the ratio, sign flipped when lower is better). Null when there is nothing to
     * compare: no baseline value, a baseline of 0 or less, a value that is not finite.
     */
    record Judgement(double ratio, double score) {
        double percent() {
            return (ratio - 1) * 100;
        }

        /** "+12 % · better", "−3.4 % · worse", "±0 % · same". */
        String words() {
            double p = percent();
            String verdict = Math.abs(score) < 0.0145 ? "same" : score > 0 ? "better" : "worse"; // within 1 %: the same
            return signedPercent(p) + " · " + verdict;
        }
    }

    static Judgement judge(double value, double baseline, boolean higherIsBetter) {
        if (!Double.isFinite(value) || !Double.isFinite(baseline) || baseline <= 0 || value < 0) {
            return null;
        }
        double ratio = value / baseline;
        double score = ratio == 0 ? -1 : Math.log(ratio) / Math.log(2) * (higherIsBetter ? 1 : -1);
        if (ratio == 0 && !higherIsBetter) {
            score = 1;
        }
        return new Judgement(ratio, Math.max(-1, Math.min(1, score)));
    }

    /** The cell colour for a score: neutral grey at 0, toward {@link #BETTER} or {@link #WORSE} with |score|. */
    static String colour(double score) {
        if (!Double.isFinite(score)) {
            return NEUTRAL;
        }
        String to = score >= 0 ? BETTER : WORSE;
        return mix(NEUTRAL, to, Math.min(1, Math.abs(score)));
    }

    /**
     * Black or white, whichever contrasts more with {@code background} (#rrggbb): at least 4.58:1 on any
     * background, above WCAG AA's 4.5:1 for text.
     */
    static String textColour(String background) {
        double l = luminance(background);
        return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
    }

    static String mix(String a, String b, double t) {
        int[] x = rgb(a);
        int[] y = rgb(b);
        return String.format(Locale.ROOT, "#%02x%02x%02x", Math.round(x[0] + (y[0] - x[0]) * t), Math.round(x[1] + (y[1] - x[1]) * t),
                Math.round(x[2] + (y[2] - x[2]) * t));
    }

    /** WCAG relative luminance of #rrggbb. */
    static double luminance(String hex) {
        int[] c = rgb(hex);
        double[] lin = new double[3];
        for (int i = 0; i < 3; i++) {
            double s = c[i] / 255.0;
            lin[i] = s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
    }

    private static int[] rgb(String hex) {
        return new int[]{Integer.parseInt(hex.substring(1, 3), 16), Integer.parseInt(hex.substring(3, 5), 16),
                Integer.parseInt(hex.substring(5, 7), 16)};
    }

    static String signedPercent(double p) {
        String n = dev.netbench.report.Units.fixed3(Math.abs(p));
        if (n.equals("0") || n.equals("0.000")) {
            return "±0 %";
        }
        return (p > 0 ? "+" : "−") + n + " %";
    }

    static String render(ScenarioTable t, String id) {
        ScenarioTable.Row base = t.baseline() == null ? null : t.row(t.baseline());
        StringBuilder b = new StringBuilder();
        b.append("<table class=\"heatmap\" id=\"").append(Html.esc(id)).append("\" data-baseline=\"").append(Html.esc(t.baseline()))
                .append("\">\n<caption>").append(Html.esc(t.title() == null || t.title().isEmpty() ? "Scenario matrix" : t.title()))
                .append("</caption>\n<thead><tr><th scope=\"col\">scenario</th><th scope=\"col\">from → to</th>");
        for (ScenarioTable.Column c : t.columns()) {
            b.append("<th scope=\"col\" data-column=\"").append(Html.esc(c.key())).append("\">").append(Html.esc(c.label()))
                    .append("<br><span class=\"unit\">").append(Html.esc(AxisUnit.display(c.unit()).isEmpty() ? "" : AxisUnit.display(c.unit()) + ", "))
                    .append(c.higherIsBetter() ? "higher is better" : "lower is better").append("</span></th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (ScenarioTable.Row r : t.rows()) {
            boolean isBase = base != null && r.scenario().equals(base.scenario());
            b.append("<tr data-scenario=\"").append(Html.esc(r.scenario())).append('"').append(isBase ? " class=\"baseline\"" : "")
                    .append("><th scope=\"row\">").append(Html.esc(r.label() == null ? r.scenario() : r.label()))
                    .append(isBase ? " <span class=\"tag\">baseline</span>" : "").append("</th><td class=\"ends\">")
                    .append(Html.esc(ends(r))).append("</td>");
            for (int i = 0; i < t.columns().size(); i++) {
                ScenarioTable.Column c = t.columns().get(i);
                ScenarioTable.Cell cell = r.cells().get(i);
                b.append(cell(c, cell, base == null ? null : base.cells().get(i), isBase));
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n");
        b.append(legend(base != null));
        return b.toString();
    }

    private static String ends(ScenarioTable.Row r) {
        if (r.source() == null && r.target() == null) {
            return "";
        }
        return (r.source() == null ? "?" : r.source()) + " → " + (r.target() == null ? "?" : r.target());
    }

    private static String cell(ScenarioTable.Column c, ScenarioTable.Cell cell, ScenarioTable.Cell base, boolean isBase) {
        StringBuilder b = new StringBuilder();
        if (!cell.ok()) {
            return b.append("<td class=\"cell failed\" data-column=\"").append(Html.esc(c.key())).append("\"><span class=\"value\">failed</span>")
                    .append("<span class=\"delta\">").append(Html.esc(cell.error())).append("</span></td>").toString();
        }
        Judgement j = isBase || base == null || !base.ok() ? null : judge(cell.value(), base.value(), c.higherIsBetter());
        String bg = j == null ? NEUTRAL : colour(j.score());
        b.append("<td class=\"cell\" data-column=\"").append(Html.esc(c.key())).append("\" data-value=\"").append(Html.data(cell.value()))
                .append('"');
        if (j != null) {
            b.append(" data-ratio=\"").append(Html.data(Math.round(j.ratio() * 1e6) / 1e6)).append("\" data-score=\"")
                    .append(Html.data(Math.round(j.score() * 1e4) / 1e4)).append('"');
        }
        b.append(" style=\"background:").append(bg).append(";color:").append(textColour(bg)).append("\"><span class=\"value\">")
                .append(Html.esc(AxisUnit.format(cell.value(), c.unit()))).append("</span>");
        Summary ci = cell.summary();
        if (ci != null && Double.isFinite(ci.ci95Low())) {
            // matrix --repeat: the value is the samples' median; their mean's 95 % interval in the cell's own text
            b.append("<span class=\"ci\">median of ").append(ci.n()).append(", 95 % CI ")
                    .append(Html.esc(AxisUnit.format(ci.ci95Low(), c.unit()) + " to " + AxisUnit.format(ci.ci95High(), c.unit())))
                    .append("</span>");
        }
        b.append("<span class=\"delta\">");
        if (isBase) {
            b.append("baseline");
        } else if (j != null) {
            b.append(Html.esc(j.words()));
        } else {
            b.append(base == null ? "no baseline" : "not comparable");
        }
        return b.append("</span></td>").toString();
    }

    private static String legend(boolean hasBaseline) {
        if (!hasBaseline) {
            return "<p class=\"hint\">No baseline row: cells are not coloured.</p>\n";
        }
        StringBuilder b = new StringBuilder("<ul class=\"scale\" aria-label=\"colour scale\">\n");
        double[] scores = {-1, -0.5, 0, 0.5, 1};
        String[] words = {"2× worse or more", "1.4× worse", "same as baseline", "1.4× better", "2× better or more"};
        for (int i = 0; i < scores.length; i++) {
            String bg = colour(scores[i]);
            b.append("<li style=\"background:").append(bg).append(";color:").append(textColour(bg)).append("\">").append(words[i]).append("</li>");
        }
        b.append("\n</ul>\n<p class=\"hint\">Each cell is compared with the baseline row in its column: the percentage is "
                + "(value − baseline) ÷ baseline, and \"better\" or \"worse\" follows the column's direction.</p>\n");
        return b.toString();
    }
}
