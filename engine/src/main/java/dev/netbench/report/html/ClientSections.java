package dev.netbench.report.html;

import dev.netbench.report.Units;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parts of a report on client runs: settings and identities, results, sweep charts, latency distributions. */
final class ClientSections {
    private ClientSections() {
    }

    /** One figure of one test, as a line in a sweep chart. */
    record Metric(String test, String key, String label) {
    }

    /** A sweep chart: figures sharing a unit, against message size. */
    record SweepChart(String kind, String title, String yTitle, String unit, List<Metric> metrics) {
    }

    static final List<SweepChart> SWEEPS = List.of(
            new SweepChart("sweep-bandwidth", "Bandwidth vs message size", "Bandwidth", "bit/s", List.of(
                    new Metric("tcp_bw", "bits_per_second", "tcp_bw"),
                    new Metric("udp_bw", "bits_per_second", "udp_bw received"),
                    new Metric("udp_bw", "send_bits_per_second", "udp_bw sent"))),
            new SweepChart("sweep-latency", "Latency vs message size", "Latency", "us", List.of(
                    new Metric("tcp_lat", "latency_us", "tcp_lat latency (mean RTT / 2)"),
                    new Metric("tcp_lat", "rtt_p99_us", "tcp_lat RTT p99"),
                    new Metric("udp_lat", "latency_us", "udp_lat latency (mean RTT / 2)"),
                    new Metric("udp_lat", "rtt_p99_us", "udp_lat RTT p99"),
                    new Metric("tcp_crr", "transaction_p50_us", "tcp_crr transaction p50"),
                    new Metric("tcp_crr", "transaction_p99_us", "tcp_crr transaction p99"),
                    new Metric("http", "http_latency_p50_us", "http latency p50"),
                    new Metric("http", "http_latency_p99_us", "http latency p99"))),
            new SweepChart("sweep-rate", "Transactions and requests per second vs message size", "Rate", "1/s", List.of(
                    new Metric("tcp_crr", "transactions_per_second", "tcp_crr transactions/s"),
                    new Metric("http", "requests_per_second", "http requests/s"))),
            new SweepChart("sweep-loss", "UDP loss vs message size", "Lost datagrams", "%", List.of(
                    new Metric("udp_bw", "lost_percent", "udp_bw lost"))));

    /**
     * The lines of one sweep chart: per run and metric, a point per message size with a finite value. Series
     * without a point are left out; with several runs each series is named after its run.
     */
    static List<LineChart.Series> sweepSeries(List<ClientRun> runs, SweepChart chart) {
        List<LineChart.Series> out = new ArrayList<>();
        for (ClientRun run : runs) {
            for (Metric m : chart.metrics()) {
                List<LineChart.Point> points = new ArrayList<>();
                for (ClientRun.Result r : run.results()) {
                    double v = r.figure(m.key());
                    if (r.test().equals(m.test()) && Double.isFinite(v) && r.msgSize() > 0) {
                        points.add(new LineChart.Point(r.msgSize(), v, r.interval(m.key(), 0), r.interval(m.key(), 1)));
                    }
                }
                if (!points.isEmpty()) {
                    out.add(new LineChart.Series(runs.size() > 1 ? run.name() + ": " + m.label() : m.label(), points, null));
                }
            }
        }
        return out;
    }

    /** A chart is worth drawing when some line has two sizes or more. */
    static boolean isSweep(List<LineChart.Series> series) {
        return series.stream().anyMatch(s -> s.points().stream().map(LineChart.Point::x).distinct().count() > 1);
    }

    /**
     * The percentile plots of one run: for each test and distribution (RTT, transaction time, ...), one line per
     * message size, the 100th percentile given as the line's note (it cannot be placed on the axis).
     */
    static Map<String, List<LineChart.Series>> distributionSeries(ClientRun run) {
        Map<String, List<ClientRun.Result>> byTest = new LinkedHashMap<>();
        for (ClientRun.Result r : run.results()) {
            if (!r.distributions().isEmpty()) {
                byTest.computeIfAbsent(r.test(), k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, List<LineChart.Series>> out = new LinkedHashMap<>();
        byTest.forEach((test, results) -> {
            // a loaded run's distribution (--under-load) is drawn in its idle one's chart
            Set<String> names = new LinkedHashSet<>();
            results.forEach(r -> r.distributions().forEach(d -> names.add(idleName(d))));
            for (String name : names) {
                List<LineChart.Series> series = new ArrayList<>();
                for (ClientRun.Result r : results) {
                    boolean loadedToo = r.distributions().stream().anyMatch(d -> !idleName(d).equals(d.name()));
                    for (ClientRun.Distribution d : r.distributions()) {
                        if (!idleName(d).equals(name) || d.percentiles().isEmpty()) {
                            continue;
                        }
                        List<LineChart.Point> points = new ArrayList<>();
                        d.percentiles().forEach((p, v) -> {
                            if (p < 100) {
                                points.add(new LineChart.Point(p, v));
                            }
                        });
                        String label = (results.size() > 1 ? Units.msgSize(r.msgSize()) : test + " " + name)
                                + (!loadedToo ? "" : d.name().equals(name) ? " idle" : " loaded");
                        String note = "max " + AxisUnit.format(d.max(), "us") + (d.count() >= 0 ? ", " + d.count() + " samples" : "");
                        series.add(new LineChart.Series(label, points, note));
                    }
                }
                if (!series.isEmpty()) {
                    out.put(test + " " + name, series);
                }
            }
        });
        return out;
    }

    private static String idleName(ClientRun.Distribution d) {
        return d.name().endsWith(ClientRun.UNDER_LOAD) ? d.name().substring(0, d.name().length() - ClientRun.UNDER_LOAD.length()) : d.name();
    }

    static String about(List<ClientRun> runs) {
        StringBuilder b = new StringBuilder("<section id=\"about\">\n<h2>Settings and the two ends</h2>\n");
        for (ClientRun run : runs) {
            if (runs.size() > 1) {
                b.append("<h3>").append(Html.esc(run.name())).append("</h3>\n");
            }
            b.append("<div class=\"about\">\n");
            b.append(Page.fields("Settings", run.settings(), "settings"));
            b.append(identities(run));
            b.append("</div>\n");
        }
        return b.append("</section>\n").toString();
    }

    private static String identities(ClientRun run) {
        Set<String> labels = new LinkedHashSet<>();
        run.local().forEach(f -> labels.add(f.label()));
        run.remote().forEach(f -> labels.add(f.label()));
        StringBuilder b = new StringBuilder("<table class=\"identities\">\n<caption>Identities</caption>\n<thead><tr><th scope=\"col\"></th>"
                + "<th scope=\"col\">local (client)</th><th scope=\"col\">remote (server)</th></tr></thead>\n<tbody>\n");
        for (String l : labels) {
            b.append("<tr><th scope=\"row\">").append(Html.esc(l)).append("</th><td>").append(Html.esc(value(run.local(), l)))
                    .append("</td><td>").append(Html.esc(value(run.remote(), l))).append("</td></tr>\n");
        }
        return b.append("</tbody>\n</table>\n").toString();
    }

    private static String value(List<ClientRun.Field> fields, String label) {
        return fields.stream().filter(f -> f.label().equals(label)).map(ClientRun.Field::value).findFirst().orElse("—");
    }

    static String results(List<ClientRun> runs) {
        StringBuilder b = new StringBuilder("<section id=\"results\">\n<h2>Results</h2>\n");
        for (ClientRun run : runs) {
            b.append("<table class=\"results\">\n<caption>").append(Html.esc(runs.size() > 1 ? run.name() : "Every test and size"))
                    .append("</caption>\n<thead><tr><th scope=\"col\">test</th><th scope=\"col\">message size</th><th scope=\"col\">streams</th>"
                            + "<th scope=\"col\">result</th><th scope=\"col\">client CPU</th><th scope=\"col\">server CPU</th></tr></thead>\n<tbody>\n");
            for (ClientRun.Result r : run.results()) {
                b.append("<tr data-test=\"").append(Html.esc(r.test())).append("\" data-msg-size=\"").append(r.msgSize()).append("\"><td>")
                        .append(Html.esc(r.test() + (r.reverse() ? " (reverse)" : ""))).append("</td><td class=\"num\">")
                        .append(Html.esc(Units.msgSize(r.msgSize()))).append("</td><td class=\"num\">").append(r.streams())
                        .append("</td><td>").append(Html.esc(r.summary())).append("</td><td class=\"num\">").append(cpu(r.localCpu()))
                        .append("</td><td class=\"num\">").append(cpu(r.remoteCpu())).append("</td></tr>\n");
            }
            b.append("</tbody>\n</table>\n");
        }
        b.append("<p class=\"hint\">CPU: over the measured window, in % of one CPU: the whole host's busy time (qperf's "
                + "cpus_used) and the netbench process's own, JIT compilation left out (docs/metrics.md). Latency figures are in the unit shown; rates use decimal prefixes.</p>\n");
        return b.append("</section>\n").toString();
    }

    private static String cpu(ClientRun.Cpu c) {
        return "host " + percent(c.host()) + " · process " + percent(c.process());
    }

    private static String percent(double v) {
        return Double.isFinite(v) ? Units.fixed3(v) + " %" : "n/a";
    }

    static String sweeps(List<ClientRun> runs) {
        StringBuilder charts = new StringBuilder();
        for (SweepChart c : SWEEPS) {
            List<LineChart.Series> series = sweepSeries(runs, c);
            if (isSweep(series)) {
                charts.append(new LineChart(c.kind(), c.title(), c.kind(), LineChart.XKind.MSG_SIZE, c.yTitle(), c.unit(), series,
                        c.unit().equals("us")).render());
            }
        }
        if (charts.length() == 0) {
            return "";
        }
        return "<section id=\"sweeps\">\n<h2>Message-size sweep</h2>\n<p class=\"hint\">Each point is one test at one message size; "
                + "sizes are on a log scale. Hover a point for its value, or open the data table.</p>\n" + charts + "</section>\n";
    }

    static String distributions(List<ClientRun> runs) {
        StringBuilder charts = new StringBuilder();
        int n = 0;
        for (ClientRun run : runs) {
            for (Map.Entry<String, List<LineChart.Series>> e : distributionSeries(run).entrySet()) {
                String title = (runs.size() > 1 ? run.name() + ": " : "") + e.getKey() + " percentile distribution";
                charts.append(new LineChart("dist-" + (++n) + "-" + Html.slug(e.getKey()), title, "percentiles", LineChart.XKind.PERCENTILE,
                        "Latency", "us", e.getValue(), true).render());
            }
        }
        if (charts.length() == 0) {
            return "";
        }
        return "<section id=\"distributions\">\n<h2>Latency distributions</h2>\n<p class=\"hint\">HdrHistogram-style percentile plots: "
                + "the value below which that share of the samples lies. The axis spreads the tail: 90 %, 99 %, 99.9 % are equally "
                + "spaced. The maximum (100 %) is in each line's legend entry.</p>\n" + charts + "</section>\n";
    }
}
