package dev.netbench.report.html;

import dev.netbench.report.Units;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * An SVG line chart with markers: message size (log₂) or percentile (HdrHistogram style) across, a linear value
 * axis up. Every point is an element of class {@code point} carrying its data in {@code data-x}/{@code data-y} and
 * a {@code <title>} in words; each series is a {@code <g class="series">}. Below the plot: a legend that repeats
 * each series' marker and dash, and the data as a table.
 */
final class LineChart {
    static final int WIDTH = 760;
    static final int HEIGHT = 380;
    static final int LEFT = 76;
    static final int RIGHT = 48;
    static final int TOP = 16;
    static final int BOTTOM = 56;

    enum XKind { MSG_SIZE, PERCENTILE }

    /** A value, and where it has one (--repeat) its 95 % confidence interval, drawn as a whisker; NaN where none. */
    record Point(double x, double y, double low, double high) {
        Point(double x, double y) {
            this(x, y, Double.NaN, Double.NaN);
        }

        boolean hasInterval() {
            return Double.isFinite(low) && Double.isFinite(high);
        }
    }

    /** One line; {@code note} is added to its legend entry (e.g. the maximum a percentile plot cannot show). */
    record Series(String name, List<Point> points, String note) {
        Series {
            points = List.copyOf(points);
        }
    }

    private final String id;
    private final String title;
    private final String kind;
    private final XKind xKind;
    private final String yTitle;
    private final String yUnit;
    private final List<Series> series;
    private final boolean logYWhenWide;

    /**
     * {@code kind} goes into the SVG's {@code data-kind} (what the chart shows, for tests and styling); {@code yUnit}
     * is the values' base unit ({@code bit/s}, {@code us}, {@code 1/s}). Points with a value that is not finite
     * are left out; in a percentile chart, so is the 100th percentile (it lies at infinity on that axis).
     * {@code logYWhenWide}: latencies, whose tail can lie orders of magnitude above the rest (see {@link #yScale}).
     */
    LineChart(String id, String title, String kind, XKind xKind, String yTitle, String yUnit, List<Series> series, boolean logYWhenWide) {
        this.logYWhenWide = logYWhenWide;
        this.id = id;
        this.title = title;
        this.kind = kind;
        this.xKind = xKind;
        this.yTitle = yTitle;
        this.yUnit = yUnit;
        List<Series> kept = new ArrayList<>();
        for (Series s : series) {
            List<Point> ps = new ArrayList<>();
            for (Point p : s.points()) {
                boolean xOk = xKind == XKind.MSG_SIZE ? p.x() > 0 : p.x() >= 0 && p.x() < 100;
                if (xOk && Double.isFinite(p.x()) && Double.isFinite(p.y())) {
                    ps.add(p);
                }
            }
            ps.sort((a, b) -> Double.compare(a.x(), b.x()));
            kept.add(new Series(s.name(), ps, s.note()));
        }
        this.series = List.copyOf(kept);
    }

    List<Series> series() {
        return series;
    }

    Scale xScale() {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (Point p : s.points()) {
                minX = Math.min(minX, p.x());
                maxX = Math.max(maxX, p.x());
            }
        }
        if (xKind == XKind.PERCENTILE) {
            return new PercentileScale(maxX >= 0 ? maxX : 0, LEFT, WIDTH - RIGHT);
        }
        return minX <= maxX ? new LogScale(minX, maxX, LEFT, WIDTH - RIGHT, 10) : new LogScale(1, 1, LEFT, WIDTH - RIGHT, 10);
    }

    /**
     * Linear from 0, except for a chart of latencies whose values are all positive and span a factor of
     * {@link #LOG_Y_RATIO} or more: there a log axis keeps the median readable beside a tail far above it.
     */
    ValueScale yScale() {
        double minY = 0;
        double maxY = 0;
        double minPositive = Double.POSITIVE_INFINITY;
        boolean allPositive = true;
        for (Series s : series) {
            for (Point p : s.points()) {
                for (double v : p.hasInterval() ? new double[] {p.y(), p.low(), p.high()} : new double[] {p.y()}) {
                    minY = Math.min(minY, v);
                    maxY = Math.max(maxY, v);
                    if (v > 0) {
                        minPositive = Math.min(minPositive, v);
                    } else {
                        allPositive = false;
                    }
                }
            }
        }
        if (logYWhenWide && allPositive && maxY / minPositive >= LOG_Y_RATIO) {
            return new DecadeScale(minPositive, maxY, HEIGHT - BOTTOM, TOP, yUnit);
        }
        return LinearScale.nice(minY, maxY, 5, HEIGHT - BOTTOM, TOP, yUnit);
    }

    static final double LOG_Y_RATIO = 20;

    String xTitle() {
        return xKind == XKind.MSG_SIZE ? "Message size (bytes, log scale)" : "Percentile (log scale of 1 / (1 − p))";
    }

    String yTitleWithUnit() {
        ValueScale y = yScale();
        String u = y.unit().text();
        String log = y instanceof DecadeScale ? "log scale" : "";
        String inParens = u.isEmpty() ? log : log.isEmpty() ? u : u + ", " + log;
        return inParens.isEmpty() ? yTitle : yTitle + " (" + inParens + ")";
    }

    String render() {
        Scale x = xScale();
        ValueScale y = yScale();
        StringBuilder b = new StringBuilder();
        b.append("<figure class=\"chart-figure\" id=\"").append(Html.esc(id)).append("\">\n");
        b.append("<figcaption><h3>").append(Html.esc(title)).append("</h3></figcaption>\n");
        b.append("<svg class=\"chart\" data-kind=\"").append(Html.esc(kind)).append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" role=\"img\" aria-labelledby=\"").append(Html.esc(id)).append("-t ").append(Html.esc(id)).append("-d\">\n");
        b.append("<title id=\"").append(Html.esc(id)).append("-t\">").append(Html.esc(title)).append("</title>\n");
        b.append("<desc id=\"").append(Html.esc(id)).append("-d\">").append(Html.esc(description())).append("</desc>\n");
        // grid and y axis
        b.append("<g class=\"axis y-axis\">\n");
        for (double t : y.ticks()) {
            String py = Html.px(y.map(t));
            b.append("<g class=\"tick\"><line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(py).append("\" y2=\"").append(py).append("\"/><text class=\"tick-label\" x=\"")
                    .append(LEFT - 8).append("\" y=\"").append(py).append("\" dy=\"0.32em\" text-anchor=\"end\">")
                    .append(Html.esc(y.label(t))).append("</text></g>\n");
        }
        b.append("<line class=\"domain\" x1=\"").append(LEFT).append("\" x2=\"").append(LEFT).append("\" y1=\"").append(TOP)
                .append("\" y2=\"").append(HEIGHT - BOTTOM).append("\"/>\n");
        b.append("<text class=\"axis-title\" transform=\"translate(16 ").append(Html.px((TOP + HEIGHT - BOTTOM) / 2.0))
                .append(") rotate(-90)\" text-anchor=\"middle\">").append(Html.esc(yTitleWithUnit())).append("</text>\n");
        b.append("</g>\n");
        // x axis
        b.append("<g class=\"axis x-axis\">\n");
        b.append("<line class=\"domain\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                .append(HEIGHT - BOTTOM).append("\" y2=\"").append(HEIGHT - BOTTOM).append("\"/>\n");
        for (double t : x.ticks()) {
            String px = Html.px(x.map(t));
            b.append("<g class=\"tick\"><line x1=\"").append(px).append("\" x2=\"").append(px).append("\" y1=\"")
                    .append(HEIGHT - BOTTOM).append("\" y2=\"").append(HEIGHT - BOTTOM + 5).append("\"/><text class=\"tick-label\" x=\"")
                    .append(px).append("\" y=\"").append(HEIGHT - BOTTOM + 18).append("\" text-anchor=\"middle\">")
                    .append(Html.esc(x.label(t))).append("</text></g>\n");
        }
        b.append("<text class=\"axis-title\" x=\"").append(Html.px((LEFT + WIDTH - RIGHT) / 2.0)).append("\" y=\"").append(HEIGHT - 10)
                .append("\" text-anchor=\"middle\">").append(Html.esc(xTitle())).append("</text>\n");
        b.append("</g>\n");
        // series
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String colour = Style.colour(i);
            b.append("<g class=\"series\" data-series=\"").append(Html.esc(s.name())).append("\" data-index=\"").append(i)
                    .append("\" style=\"color:").append(colour).append("\">\n");
            if (s.points().size() > 1) {
                StringBuilder d = new StringBuilder();
                for (Point p : s.points()) {
                    d.append(d.length() == 0 ? "M" : "L").append(Html.px(x.map(p.x()))).append(' ').append(Html.px(y.map(p.y())));
                }
                b.append("<path class=\"line\" d=\"").append(d).append('"');
                if (!Style.dash(i).isEmpty()) {
                    b.append(" stroke-dasharray=\"").append(Style.dash(i)).append('"');
                }
                b.append("/>\n");
            }
            String shape = Style.shape(i);
            for (Point p : s.points()) {
                if (p.hasInterval()) {
                    // the 95 % confidence interval as a whisker with caps, under the marker
                    double px = x.map(p.x());
                    String lo = Html.px(y.map(p.low()));
                    String hi = Html.px(y.map(p.high()));
                    b.append("<path class=\"whisker\" data-low=\"").append(Html.data(p.low())).append("\" data-high=\"")
                            .append(Html.data(p.high())).append("\" d=\"M").append(Html.px(px)).append(' ').append(lo).append('V').append(hi)
                            .append('M').append(Html.px(px - 4)).append(' ').append(lo).append("h8M").append(Html.px(px - 4)).append(' ')
                            .append(hi).append("h8\"/>\n");
                }
                b.append("<path class=\"point").append(Style.open(shape) ? " open" : "").append("\" data-x=\"").append(Html.data(p.x()))
                        .append("\" data-y=\"").append(Html.data(p.y())).append("\" d=\"")
                        .append(Style.marker(shape, x.map(p.x()), y.map(p.y()), 4)).append("\"><title>")
                        .append(Html.esc(s.name() + ": " + xText(p.x()) + " → " + valueText(p)))
                        .append("</title></path>\n");
            }
            b.append("</g>\n");
        }
        b.append("</svg>\n");
        b.append(legend());
        b.append(table());
        b.append("</figure>\n");
        return b.toString();
    }

    private String description() {
        StringBuilder d = new StringBuilder(yTitle + " against " + (xKind == XKind.MSG_SIZE ? "message size" : "percentile") + "; ");
        d.append(series.size()).append(series.size() == 1 ? " series: " : " series: ");
        for (int i = 0; i < series.size(); i++) {
            d.append(i > 0 ? ", " : "").append(series.get(i).name()).append(" (").append(series.get(i).points().size()).append(" points)");
        }
        return d.append(". The data table below the chart has every value.").toString();
    }

    /** A point's value, with its interval where it has one. */
    private String valueText(Point p) {
        return AxisUnit.format(p.y(), yUnit) + (p.hasInterval()
                ? " (95 % CI " + AxisUnit.format(p.low(), yUnit) + " to " + AxisUnit.format(p.high(), yUnit) + ")" : "");
    }

    String xText(double x) {
        return xKind == XKind.MSG_SIZE ? Units.msgSize(Math.round(x)) : "p" + AxisUnit.trim(x);
    }

    private String legend() {
        StringBuilder b = new StringBuilder("<ul class=\"legend\">\n");
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String shape = Style.shape(i);
            b.append("<li><svg class=\"key\" viewBox=\"0 0 36 12\" width=\"36\" height=\"12\" aria-hidden=\"true\" style=\"color:")
                    .append(Style.colour(i)).append("\"><path class=\"line\" d=\"M2 6H34\"");
            if (!Style.dash(i).isEmpty()) {
                b.append(" stroke-dasharray=\"").append(Style.dash(i)).append('"');
            }
            b.append("/><path class=\"point").append(Style.open(shape) ? " open" : "").append("\" d=\"")
                    .append(Style.marker(shape, 18, 6, 4)).append("\"/></svg> ").append(Html.esc(s.name()));
            if (s.note() != null && !s.note().isEmpty()) {
                b.append(" <span class=\"note\">(").append(Html.esc(s.note())).append(")</span>");
            }
            b.append("</li>\n");
        }
        return b.append("</ul>\n").toString();
    }

    private String table() {
        TreeSet<Double> xs = new TreeSet<>();
        series.forEach(s -> s.points().forEach(p -> xs.add(p.x())));
        StringBuilder b = new StringBuilder("<details class=\"data\"><summary>Data table</summary>\n<table>\n<thead><tr><th scope=\"col\">")
                .append(xKind == XKind.MSG_SIZE ? "Message size" : "Percentile").append("</th>");
        for (Series s : series) {
            b.append("<th scope=\"col\">").append(Html.esc(s.name())).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (double x : xs) {
            b.append("<tr><th scope=\"row\">").append(Html.esc(xText(x))).append("</th>");
            for (Series s : series) {
                String v = "—";
                for (Point p : s.points()) {
                    if (p.x() == x) {
                        v = valueText(p);
                    }
                }
                b.append("<td>").append(Html.esc(v)).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</tbody>\n</table></details>\n").toString();
    }
}
