package dev.netbench.report.html;

import dev.netbench.host.Version;
import dev.netbench.json.JsonException;
import dev.netbench.report.RunReport;
import dev.netbench.report.ScenarioTable;
import dev.netbench.report.ScenarioTableJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTML report: one self-contained page (inline SVG and CSS, no scripts, nothing fetched) with charts a reader
 * would rather look at than read, and every figure also as text. What each kind of report shows is in
 * docs/metrics.md ("HTML report").
 * <ul>
 * <li>{@link #client}: a client run: settings and both ends' identities, every result, bandwidth and latency
 * against message size for a sweep, a percentile plot of every latency distribution;</li>
 * <li>{@link #matrix}: a scenario table as a heatmap against its baseline row;</li>
 * <li>{@link #compare}: two scenario tables side by side, bars and % differences per metric and scenario;</li>
 * <li>{@link #fromDocuments}: any mix of saved JSON documents (client results, scenario tables), for
 * {@code netbench report}.</li>
 * </ul>
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /** A saved JSON document and the name it goes by in the report (usually its file name). */
    public record Document(String name, Map<String, Object> json) {
    }

    /** The report of a client run, as {@code client --report} writes it. */
    public static String client(RunReport run) {
        return clients(List.of(ClientRun.of(run)), List.of(), List.of());
    }

    /** A scenario table as a heatmap, with the netbench version that wrote the report. */
    public static String matrix(ScenarioTable table) {
        return matrix(table, Map.of());
    }

    /**
     * A scenario table as a heatmap. {@code about} lists what a reader should know of the run (settings, the nodes
     * and pods, the versions), label → value, shown in that order.
     */
    public static String matrix(ScenarioTable table, Map<String, String> about) {
        String title = title(table, "Scenario matrix");
        StringBuilder body = new StringBuilder();
        body.append(aboutSection(about));
        body.append("<section id=\"matrix\">\n<h2>Matrix</h2>\n").append(Heatmap.render(table, "heatmap-1")).append("</section>\n");
        return Page.render("netbench: " + title, null, List.of(), body.toString(), footer());
    }

    /** Two scenario tables side by side: B against A. */
    public static String compare(ScenarioTable a, String nameA, ScenarioTable b, String nameB) {
        return compare(a, nameA, b, nameB, Map.of());
    }

    /** Two scenario tables side by side: B against A, then each one's heatmap; {@code about} as for {@link #matrix}. */
    public static String compare(ScenarioTable a, String nameA, ScenarioTable b, String nameB, Map<String, String> about) {
        StringBuilder body = new StringBuilder();
        body.append(aboutSection(about));
        body.append(compareSection(a, nameA, b, nameB));
        body.append(heatmapSection(List.of(new Named(nameA, a), new Named(nameB, b)), 1));
        List<Page.Link> nav = new ArrayList<>(about.isEmpty() ? List.of() : List.of(new Page.Link("about", "About")));
        nav.add(new Page.Link("compare", "Comparison"));
        nav.add(new Page.Link("matrix", "Matrices"));
        return Page.render("netbench: " + nameB + " against " + nameA, null, nav, body.toString(), footer());
    }

    /**
     * A report of saved documents: every client result in one report (with several, their sweeps drawn in the same
     * charts, named after their documents), then the scenario tables: compared if there are exactly two, and each
     * as a heatmap. A document that is neither a client result nor a scenario table is refused.
     */
    public static String fromDocuments(List<Document> docs) {
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("no documents");
        }
        List<ClientRun> runs = new ArrayList<>();
        List<Named> tables = new ArrayList<>();
        List<Map<String, String>> abouts = new ArrayList<>();
        for (Document d : docs) {
            try {
                if (ScenarioTableJson.isScenarioTable(d.json())) {
                    tables.add(new Named(d.name(), ScenarioTableJson.read(d.json())));
                    abouts.add(aboutOf(d.json()));
                } else if (d.json().get("results") instanceof List) {
                    runs.add(ClientRun.read(d.name(), d.json()));
                } else {
                    throw new JsonException("neither a client result (no \"results\") nor a scenario table (no \"columns\" and \"scenarios\")");
                }
            } catch (JsonException e) {
                throw new JsonException(d.name() + ": " + e.getMessage());
            }
        }
        if (runs.isEmpty() && tables.size() == 1) {
            return matrix(tables.get(0).table(), abouts.get(0));
        }
        if (runs.isEmpty() && tables.size() == 2) {
            Map<String, String> about = new LinkedHashMap<>();
            abouts.get(0).forEach((k, v) -> about.put(tables.get(0).name() + ": " + k, v));
            abouts.get(1).forEach((k, v) -> about.put(tables.get(1).name() + ": " + k, v));
            return compare(tables.get(0).table(), tables.get(0).name(), tables.get(1).table(), tables.get(1).name(), about);
        }
        List<Map<String, String>> named = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            Map<String, String> m = new LinkedHashMap<>();
            String prefix = tables.get(i).name() + ": ";
            abouts.get(i).forEach((k, v) -> m.put(prefix + k, v));
            named.add(m);
        }
        return clients(runs, tables, named);
    }

    private record Named(String name, ScenarioTable table) {
    }

    private static String clients(List<ClientRun> runs, List<Named> tables, List<Map<String, String>> tableAbouts) {
        StringBuilder body = new StringBuilder();
        List<Page.Link> nav = new ArrayList<>();
        if (!runs.isEmpty()) {
            body.append(ClientSections.about(runs));
            nav.add(new Page.Link("about", "Settings and ends"));
            body.append(ClientSections.results(runs));
            nav.add(new Page.Link("results", "Results"));
            String sweeps = ClientSections.sweeps(runs);
            if (!sweeps.isEmpty()) {
                body.append(sweeps);
                nav.add(new Page.Link("sweeps", "Sweep"));
            }
            String dist = ClientSections.distributions(runs);
            if (!dist.isEmpty()) {
                body.append(dist);
                nav.add(new Page.Link("distributions", "Latency distributions"));
            }
        }
        if (!tables.isEmpty()) {
            Map<String, String> about = new LinkedHashMap<>();
            tableAbouts.forEach(about::putAll);
            if (!about.isEmpty()) {
                body.append(aboutSection(about).replace("id=\"about\"", "id=\"about-tables\""));
            }
            if (tables.size() == 2) {
                body.append(compareSection(tables.get(0).table(), tables.get(0).name(), tables.get(1).table(), tables.get(1).name()));
                nav.add(new Page.Link("compare", "Comparison"));
            }
            body.append(heatmapSection(tables, 1));
            nav.add(new Page.Link("matrix", "Matrices"));
        }
        String title;
        String subtitle = null;
        if (runs.size() == 1) {
            ClientRun r = runs.get(0);
            title = "netbench report: " + (r.loopback() ? "loopback self-test" : r.target());
            subtitle = tests(r) + " — netbench " + r.version();
        } else if (!runs.isEmpty()) {
            title = "netbench report: " + String.join(", ", runs.stream().map(ClientRun::name).toList());
        } else {
            title = "netbench report";
        }
        return Page.render(title, subtitle, nav, body.toString(), footer());
    }

    private static String tests(ClientRun r) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        r.results().forEach(x -> sizes.merge(x.test(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        sizes.forEach((t, n) -> parts.add(n > 1 ? t + " at " + n + " message sizes" : t));
        return String.join(", ", parts);
    }

    private static String compareSection(ScenarioTable a, String nameA, ScenarioTable b, String nameB) {
        return "<section id=\"compare\">\n<h2>" + Html.esc(nameB) + " against " + Html.esc(nameA) + "</h2>\n<p class=\"hint\">For each "
                + "metric, a pair of bars per scenario: " + Html.esc(nameA) + " solid, " + Html.esc(nameB) + " hatched. The difference is ("
                + Html.esc(nameB) + " − " + Html.esc(nameA) + ") ÷ " + Html.esc(nameA) + "; \"better\" or \"worse\" follows the metric's "
                + "direction.</p>\n" + Comparison.render(a, nameA, b, nameB) + "</section>\n";
    }

    private static String heatmapSection(List<Named> tables, int firstId) {
        StringBuilder b = new StringBuilder("<section id=\"matrix\">\n<h2>").append(tables.size() > 1 ? "Matrices" : "Matrix").append("</h2>\n");
        int id = firstId;
        for (Named t : tables) {
            if (tables.size() > 1) {
                b.append("<h3>").append(Html.esc(t.name())).append("</h3>\n");
            }
            b.append(Heatmap.render(t.table(), "heatmap-" + id++));
        }
        return b.append("</section>\n").toString();
    }

    private static String aboutSection(Map<String, String> about) {
        if (about.isEmpty()) {
            return "";
        }
        List<ClientRun.Field> f = new ArrayList<>();
        about.forEach((k, v) -> f.add(new ClientRun.Field(k, v)));
        return "<section id=\"about\">\n<h2>About this run</h2>\n" + Page.fields("Settings, ends and versions", f, "settings") + "</section>\n";
    }

    /**
     * What a scenario-table document says beside the table: its version and other top-level values (one level of
     * objects flattened as {@code settings.seconds}; lists of plain values joined).
     */
    static Map<String, String> aboutOf(Map<String, Object> doc) {
        Map<String, String> out = new LinkedHashMap<>();
        doc.forEach((k, v) -> {
            if (List.of("tool", "schema_version", "title", "baseline", "columns", "scenarios").contains(k)) {
                return;
            }
            if (v instanceof Map<?, ?> m) {
                m.forEach((k2, v2) -> {
                    String s = plain(v2);
                    if (s != null) {
                        out.put(k + "." + k2, s);
                    }
                });
            } else {
                String s = plain(v);
                if (s != null) {
                    out.put(k.equals("version") ? "netbench version" : k, s);
                }
            }
        });
        return out;
    }

    private static String plain(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return AxisUnit.trim(d);
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String || x instanceof Number || x instanceof Boolean)) {
            return String.join(", ", l.stream().map(String::valueOf).toList());
        }
        return null;
    }

    private static String title(ScenarioTable t, String fallback) {
        return t.title() == null || t.title().isEmpty() ? fallback : t.title();
    }

    private static String footer() {
        return "Report written by netbench " + Version.get();
    }
}
