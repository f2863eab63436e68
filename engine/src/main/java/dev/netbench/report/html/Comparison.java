package dev.netbench.report.html;

import dev.netbench.confidence.Summary;

import dev.netbench.report.ScenarioPairs;
import dev.netbench.report.ScenarioPairs.Metric;
import dev.netbench.report.ScenarioPairs.Pair;
import dev.netbench.report.ScenarioTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two scenario tables side by side (CNI A against CNI B): for each metric, a bar chart with a pair of bars per
 * scenario and the % difference of B against A, "better" or "worse" by the metric's direction. Rows and columns
 * pair up as {@link ScenarioPairs} says; what only one table has is shown as missing from the other. A's bars are
 * solid, B's hatched, and each bar is labelled with its table's name and value, so colour is not needed.
 */
final class Comparison {
    static final int WIDTH = 760;
    static final int LABEL = 190;
    static final int DIFF = 130;
    static final int BAR = 15;
    static final int GAP = 3;
    static final int GROUP = 2 * BAR + GAP + 14;
    static final int TOP = 26;
    static final int AXIS = 44;
    /** About the width of a character of the 11.5 px bar labels. */
    static final double CHAR_WIDTH = 6.6;

    private Comparison() {
    }

    /** "+5.2 % · better" (B against A), or why there is no difference. */
    static String diffWords(Pair p, boolean higherIsBetter, String nameA, String nameB) {
        if (p.a() == null || p.b() == null) {
            return "not in " + (p.a() == null ? nameA : nameB);
        }
        if (!p.a().ok() || !p.b().ok()) {
            return "failed in " + (!p.a().ok() && !p.b().ok() ? "both" : !p.a().ok() ? nameA : nameB);
        }
        double d = ScenarioPairs.percent(p.a(), p.b());
        if (!Double.isFinite(d)) {
            return "n/a";
        }
        Heatmap.Judgement j = Heatmap.judge(p.b().value(), p.a().value(), higherIsBetter);
        return j == null ? Heatmap.signedPercent(d) : j.words();
    }

    static String render(ScenarioTable a, String nameA, ScenarioTable b, String nameB) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (Metric m : ScenarioPairs.of(a, b)) {
            out.append(chart(m, nameA, nameB, "compare-" + (++n) + "-" + Html.slug(m.column().key())));
        }
        out.append(table(ScenarioPairs.of(a, b), nameA, nameB));
        return out.toString();
    }

    private static String chart(Metric m, String nameA, String nameB, String id) {
        ScenarioTable.Column c = m.column();
        double max = 0;
        double min = 0;
        for (Pair p : m.pairs()) {
            for (ScenarioTable.Cell cell : new ScenarioTable.Cell[]{p.a(), p.b()}) {
                if (cell != null && cell.ok() && Double.isFinite(cell.value())) {
                    Summary ci = cell.summary();
                    double high = ci != null && Double.isFinite(ci.ci95High()) ? Math.max(cell.value(), ci.ci95High()) : cell.value();
                    double low = ci != null && Double.isFinite(ci.ci95Low()) ? Math.min(cell.value(), ci.ci95Low()) : cell.value();
                    max = Math.max(max, high);
                    min = Math.min(min, low);
                }
            }
        }
        // the bars end where the longest value label still fits before the difference column
        int labelChars = 0;
        for (Pair p : m.pairs()) {
            labelChars = Math.max(labelChars, barLabel(nameA, p.a(), c.unit()).length());
            labelChars = Math.max(labelChars, barLabel(nameB, p.b(), c.unit()).length());
        }
        int plotRight = WIDTH - DIFF;
        int barsEnd = plotRight - (int) Math.min(260, labelChars * CHAR_WIDTH + 8);
        LinearScale x = LinearScale.nice(min, max, 5, LABEL, barsEnd, c.unit());
        int height = TOP + m.pairs().size() * GROUP + AXIS;
        String title = c.label() + ": " + nameB + " against " + nameA;
        StringBuilder b = new StringBuilder();
        b.append("<figure class=\"chart-figure\" id=\"").append(Html.esc(id)).append("\">\n<figcaption><h3>").append(Html.esc(c.label()))
                .append(" <span class=\"unit\">(").append(c.higherIsBetter() ? "higher is better" : "lower is better")
                .append(")</span></h3></figcaption>\n");
        b.append("<svg class=\"chart bars\" data-kind=\"compare\" data-column=\"").append(Html.esc(c.key()))
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" width=\"")
                .append(WIDTH).append("\" height=\"").append(height).append("\" role=\"img\" aria-labelledby=\"").append(Html.esc(id))
                .append("-t\">\n<title id=\"").append(Html.esc(id)).append("-t\">").append(Html.esc(title)).append("</title>\n");
        b.append("<defs><pattern id=\"").append(Html.esc(id)).append("-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
                + "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"").append(Style.colour(1))
                .append("\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#ffffff\" stroke-width=\"2.5\"/></pattern></defs>\n");
        int axisY = TOP + m.pairs().size() * GROUP;
        b.append("<g class=\"axis x-axis\">\n");
        for (double t : x.ticks()) {
            String px = Html.px(x.map(t));
            b.append("<g class=\"tick\"><line class=\"grid\" x1=\"").append(px).append("\" x2=\"").append(px).append("\" y1=\"").append(TOP)
                    .append("\" y2=\"").append(axisY + 4).append("\"/><text class=\"tick-label\" x=\"").append(px).append("\" y=\"")
                    .append(axisY + 17).append("\" text-anchor=\"middle\">").append(Html.esc(x.label(t))).append("</text></g>\n");
        }
        String unit = x.unit().text();
        b.append("<line class=\"domain\" x1=\"").append(LABEL).append("\" x2=\"").append(LABEL).append("\" y1=\"").append(TOP).append("\" y2=\"")
                .append(axisY).append("\"/>\n<text class=\"axis-title\" x=\"").append(Html.px((LABEL + barsEnd) / 2.0)).append("\" y=\"")
                .append(axisY + 36).append("\" text-anchor=\"middle\">").append(Html.esc(c.label() + (unit.isEmpty() ? "" : " (" + unit + ")")))
                .append("</text>\n</g>\n");
        b.append("<text class=\"diff-title\" x=\"").append(WIDTH - 4).append("\" y=\"14\" text-anchor=\"end\">")
                .append(Html.esc(shorten(nameB, 14) + " vs " + shorten(nameA, 14))).append("</text>\n");
        int row = 0;
        for (Pair p : m.pairs()) {
            double y0 = TOP + row++ * GROUP + 7;
            double diff = ScenarioPairs.percent(p.a(), p.b());
            b.append("<g class=\"pair\" data-scenario=\"").append(Html.esc(p.scenario())).append("\" data-diff=\"")
                    .append(Html.data(Double.isFinite(diff) ? Math.round(diff * 1e4) / 1e4 : Double.NaN)).append("\">\n");
            b.append("<text class=\"row-label\" x=\"").append(LABEL - 8).append("\" y=\"").append(Html.px(y0 + BAR + GAP / 2.0))
                    .append("\" dy=\"0.32em\" text-anchor=\"end\">").append(Html.esc(shorten(p.label(), 28))).append("<title>")
                    .append(Html.esc(p.label())).append("</title></text>\n");
            b.append(bar(x, c.unit(), p.a(), "a", nameA, y0, "fill:" + Style.colour(0)));
            b.append(bar(x, c.unit(), p.b(), "b", nameB, y0 + BAR + GAP, "fill:url(#" + id + "-hatch)"));
            Heatmap.Judgement j = p.a() != null && p.b() != null && p.a().ok() && p.b().ok()
                    ? Heatmap.judge(p.b().value(), p.a().value(), c.higherIsBetter()) : null;
            String cls = j == null || Math.abs(j.score()) < 0.0145 ? "diff" : j.score() > 0 ? "diff better" : "diff worse";
            b.append("<text class=\"").append(cls).append("\" x=\"").append(WIDTH - 4).append("\" y=\"").append(Html.px(y0 + BAR + GAP / 2.0))
                    .append("\" dy=\"0.32em\" text-anchor=\"end\">").append(Html.esc(diffWords(p, c.higherIsBetter(), nameA, nameB)))
                    .append("</text>\n</g>\n");
        }
        b.append("</svg>\n</figure>\n");
        return b.toString();
    }

    private static String bar(LinearScale x, String unit, ScenarioTable.Cell cell, String which, String name, double y, String fill) {
        StringBuilder b = new StringBuilder();
        String ty = Html.px(y + BAR / 2.0);
        if (cell == null || !cell.ok() || !Double.isFinite(cell.value())) {
            String why = cell == null ? "not measured" : !cell.ok() ? "failed: " + cell.error() : "n/a";
            return b.append("<text class=\"bar-label missing ").append(which).append("\" x=\"").append(LABEL + 4).append("\" y=\"").append(ty)
                    .append("\" dy=\"0.32em\">").append(Html.esc(shorten(name, 20) + ": " + shorten(why, 50))).append("<title>")
                    .append(Html.esc(name + ": " + why)).append("</title></text>\n").toString();
        }
        double x0 = x.map(0);
        double x1 = x.map(cell.value());
        String value = AxisUnit.format(cell.value(), unit);
        String label = barLabel(name, cell, unit);
        b.append("<rect class=\"bar ").append(which).append("\" data-value=\"").append(Html.data(cell.value())).append("\" x=\"")
                .append(Html.px(Math.min(x0, x1))).append("\" y=\"").append(Html.px(y)).append("\" width=\"")
                .append(Html.px(Math.max(1, Math.abs(x1 - x0)))).append("\" height=\"").append(BAR).append("\" style=\"").append(fill)
                .append("\"><title>").append(Html.esc(name + ": " + value)).append("</title></rect>\n");
        Summary ci = cell.summary();
        if (ci != null && Double.isFinite(ci.ci95Low()) && Double.isFinite(ci.ci95High())) {
            // matrix --repeat: the 95 % interval of the samples' mean across the bar
            String lo = Html.px(x.map(ci.ci95Low()));
            String hi = Html.px(x.map(ci.ci95High()));
            double mid = y + BAR / 2.0;
            b.append("<path class=\"whisker\" data-low=\"").append(Html.data(ci.ci95Low())).append("\" data-high=\"")
                    .append(Html.data(ci.ci95High())).append("\" d=\"M").append(lo).append(' ').append(Html.px(mid)).append('H').append(hi)
                    .append('M').append(lo).append(' ').append(Html.px(mid - 3)).append("v6M").append(hi).append(' ')
                    .append(Html.px(mid - 3)).append("v6\"><title>").append(Html.esc(name + ": 95 % CI " + AxisUnit.format(ci.ci95Low(), unit)
                            + " to " + AxisUnit.format(ci.ci95High(), unit))).append("</title></path>\n");
        }
        b.append("<text class=\"bar-label ").append(which).append("\" x=\"").append(Html.px(Math.max(x0, x1) + 4)).append("\" y=\"").append(ty)
                .append("\" dy=\"0.32em\">").append(Html.esc(label)).append("</text>\n");
        return b.toString();
    }

    /** What a bar says at its end: "calico 9.41 Gbit/s"; empty for a cell without a bar. */
    static String barLabel(String name, ScenarioTable.Cell cell, String unit) {
        if (cell == null || !cell.ok() || !Double.isFinite(cell.value())) {
            return "";
        }
        return shorten(name, 16) + " " + AxisUnit.format(cell.value(), unit);
    }

    static String shorten(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static String table(List<Metric> metrics, String nameA, String nameB) {
        StringBuilder b = new StringBuilder("<table class=\"comparison\">\n<caption>").append(Html.esc(nameB + " against " + nameA))
                .append("</caption>\n<thead><tr><th scope=\"col\">metric</th><th scope=\"col\">scenario</th><th scope=\"col\">")
                .append(Html.esc(nameA)).append("</th><th scope=\"col\">").append(Html.esc(nameB))
                .append("</th><th scope=\"col\">difference</th><th scope=\"col\">verdict</th></tr></thead>\n<tbody>\n");
        for (Metric m : metrics) {
            for (Pair p : m.pairs()) {
                b.append("<tr data-column=\"").append(Html.esc(m.column().key())).append("\" data-scenario=\"").append(Html.esc(p.scenario()))
                        .append("\"><td>").append(Html.esc(m.column().label())).append("</td><td>").append(Html.esc(p.label()))
                        .append("</td><td class=\"num\">").append(Html.esc(text(p.a(), m.column().unit()))).append("</td><td class=\"num\">")
                        .append(Html.esc(text(p.b(), m.column().unit()))).append("</td><td>")
                        .append(Html.esc(diffWords(p, m.column().higherIsBetter(), nameA, nameB))).append("</td><td class=\"verdict\">")
                        .append(Html.esc(ScenarioPairs.verdict(p, m.column().higherIsBetter()))).append("</td></tr>\n");
            }
        }
        return b.append("</tbody>\n</table>\n").toString();
    }

    private static String text(ScenarioTable.Cell c, String unit) {
        if (c == null) {
            return "—";
        }
        return c.ok() ? AxisUnit.format(c.value(), unit) : "failed: " + c.error();
    }
}
