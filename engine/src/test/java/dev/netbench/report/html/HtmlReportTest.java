package dev.netbench.report.html;

import dev.netbench.json.Json;
import dev.netbench.json.JsonException;
import dev.netbench.report.JsonReport;
import dev.netbench.report.RunReport;
import dev.netbench.report.ScenarioTable;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {
    /** Nothing in the page may be fetched: no scripts, no sources, links only within the page. */
    static void assertSelfContained(String html) {
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"));
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(Pattern.compile("<[^>]*\\s(src|srcset|xlink:href|action|on[a-z]+)=").matcher(html.replaceAll("\"[^\"]*\"", "\"\"")).find(),
                "nothing to load (attribute values blanked: every quote in text is escaped)");
        assertFalse(html.contains("url(http") || html.contains("@import"), "no CSS fetches");
        Matcher href = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
        while (href.find()) {
            assertTrue(href.group(1).startsWith("#"), "links stay in the page: " + href.group(1));
        }
        Matcher url = Pattern.compile("https?://[^\"'\\s<]*").matcher(html);
        while (url.find()) {
            assertEquals("http://www.w3.org/2000/svg", url.group(), "the only URL is SVG's namespace name");
        }
    }

    /** Every SVG in the page, parsed as XML (so each is well-formed). */
    static List<Element> svgs(String html) throws Exception {
        List<Element> out = new ArrayList<>();
        Matcher m = Pattern.compile("<svg class=\"chart[\\s\\S]*?</svg>").matcher(html);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        while (m.find()) {
            out.add(f.newDocumentBuilder().parse(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.UTF_8))).getDocumentElement());
        }
        return out;
    }

    static List<Element> byClass(Element root, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList all = root.getElementsByTagName(tag);
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void aSweepReportHasBothSweepChartsWithAPointPerSize() throws Exception {
        String html = HtmlReport.client(Fixtures.sweep(1, 4, 16, 64, 256));
        assertSelfContained(html);
        List<Element> charts = svgs(html);
        List<String> kinds = charts.stream().map(e -> e.getAttribute("data-kind")).toList();
        assertEquals(List.of("sweep-bandwidth", "sweep-latency", "percentiles"), kinds);
        for (Element c : charts.subList(0, 2)) {
            assertFalse(byClass(c, "g", "x-axis").isEmpty());
            assertFalse(byClass(c, "g", "y-axis").isEmpty());
            for (Element s : byClass(c, "g", "series")) {
                List<String> xs = byClass(s, "path", "point").stream().map(p -> p.getAttribute("data-x")).toList();
                assertEquals(List.of("1", "4", "16", "64", "256"), xs, s.getAttribute("data-series"));
            }
            List<String> titles = byClass(c, "text", "axis-title").stream().map(Element::getTextContent).toList();
            assertTrue(titles.contains("Message size (bytes, log scale)"), titles.toString());
        }
        List<String> yTitles = charts.stream().map(c -> byClass(c, "text", "axis-title").get(0).getTextContent()).toList();
        assertEquals("Bandwidth (Gbit/s)", yTitles.get(0));
        assertEquals("Latency (µs, log scale)", yTitles.get(1), "8 µs to 276 µs: more than 20×");
        assertEquals(5, byClass(charts.get(2), "g", "series").size(), "a percentile line per size");
        assertTrue(html.contains("client-host") && html.contains("server-host") && html.contains("node-a"), "both ends");
        assertTrue(html.contains("netbench 0.1.0"), "the version");
        assertFalse(html.contains("NaN\"") && html.contains("d=\"M NaN"), "no NaN coordinates");
    }

    @Test
    void aRepeatedSweepDrawsEachPointsIntervalAsAWhisker() throws Exception {
        String html = HtmlReport.client(Fixtures.repeatedSweep(1, 64, 4096));
        assertSelfContained(html);
        Element bandwidth = svgs(html).get(0);
        List<Element> whiskers = byClass(bandwidth, "path", "whisker");
        assertEquals(3, whiskers.size(), "one per point");
        // the middle size: samples 6.4, 5.76 and 7.04 Gbit/s; mean 6.4e9, sd 6.4e8, half-width 4.3027 * 6.4e8 / sqrt(3)
        double half = 4.3027 * 6.4e8 / Math.sqrt(3);
        assertEquals(6.4e9 - half, Double.parseDouble(whiskers.get(1).getAttribute("data-low")), 1e5);
        assertEquals(6.4e9 + half, Double.parseDouble(whiskers.get(1).getAttribute("data-high")), 1e5);
        assertTrue(html.contains("(95 % CI "), "the data table and the points' titles give the interval");
        assertTrue(byClass(svgs(HtmlReport.client(Fixtures.sweep(1, 64))).get(0), "path", "whisker").isEmpty(),
                "a run measured once has no whiskers");
    }

    @Test
    void pointsLieInsideTheirCharts() throws Exception {
        for (Element c : svgs(HtmlReport.client(Fixtures.sweep(1, 64, 65536)))) {
            for (Element p : byClass(c, "path", "point")) {
                Matcher m = Pattern.compile("-?\\d+(\\.\\d+)?").matcher(p.getAttribute("d"));
                m.find();
                double x = Double.parseDouble(m.group());
                m.find();
                double y = Double.parseDouble(m.group());
                assertTrue(x >= LineChart.LEFT - 8 && x <= LineChart.WIDTH - LineChart.RIGHT + 8, "x " + x);
                assertTrue(y >= LineChart.TOP - 8 && y <= LineChart.HEIGHT - LineChart.BOTTOM + 8, "y " + y);
            }
        }
    }

    @Test
    void aLiveRunAndItsSavedJsonMakeTheSameReport() {
        RunReport run = Fixtures.sweep(1, 4);
        Map<String, Object> saved = Json.parseObject(JsonReport.format(run));
        assertEquals(HtmlReport.client(run), HtmlReport.fromDocuments(List.of(new HtmlReport.Document("result", saved))));
    }

    @Test
    void aMatrixDocumentIsAHeatmap() throws Exception {
        String html = HtmlReport.fromDocuments(List.of(new HtmlReport.Document("calico", Json.parseObject(Fixtures.resource("matrix-calico.json")))));
        assertSelfContained(html);
        assertEquals(HtmlReport.matrix(Fixtures.calico(), HtmlReport.aboutOf(Json.parseObject(Fixtures.resource("matrix-calico.json")))), html);
        assertTrue(html.contains("<table class=\"heatmap\""));
        assertTrue(html.contains("<title>netbench: Cluster matrix: calico (VXLAN)</title>"));
        assertTrue(html.contains("<th scope=\"row\">settings.seconds</th><td>10</td>"), "what the document says of its run");
        assertTrue(html.contains("<th scope=\"row\">netbench version</th><td>0.1.0</td>"));
        assertTrue(svgs(html).isEmpty());
    }

    @Test
    void twoMatrixDocumentsAreCompared() throws Exception {
        String html = HtmlReport.fromDocuments(List.of(
                new HtmlReport.Document("calico", Json.parseObject(Fixtures.resource("matrix-calico.json"))),
                new HtmlReport.Document("cilium", Json.parseObject(Fixtures.resource("matrix-cilium.json")))));
        assertSelfContained(html);
        assertTrue(html.contains("<title>netbench: cilium against calico</title>"));
        assertEquals(5, svgs(html).size());
        assertEquals(2, html.split("<table class=\"heatmap\"").length - 1);
        assertTrue(html.contains("calico: settings.seconds"));
    }

    @Test
    void theMatrixApiForLiveTables() {
        String html = HtmlReport.matrix(Fixtures.calico());
        assertSelfContained(html);
        assertTrue(html.contains("Report written by netbench"));
        String cmp = HtmlReport.compare(Fixtures.calico(), "calico", Fixtures.cilium(), "cilium", Map.of("duration", "10 s"));
        assertSelfContained(cmp);
        assertTrue(cmp.contains("<th scope=\"row\">duration</th><td>10 s</td>"));
    }

    @Test
    void clientResultsAndTablesCanShareAReport() throws Exception {
        String html = HtmlReport.fromDocuments(List.of(
                new HtmlReport.Document("sweep", Json.parseObject(JsonReport.format(Fixtures.sweep(1, 4)))),
                new HtmlReport.Document("calico", Json.parseObject(Fixtures.resource("matrix-calico.json")))));
        assertSelfContained(html);
        assertTrue(html.contains("id=\"sweeps\"") && html.contains("<table class=\"heatmap\""));
        assertEquals(1, html.split("id=\"about\"").length - 1, "ids stay unique");
    }

    @Test
    void refusesDocumentsItDoesNotKnow() {
        JsonException e = assertThrows(JsonException.class, () -> HtmlReport.fromDocuments(List.of(
                new HtmlReport.Document("other", Json.parseObject("{\"hello\": 1}")))));
        assertTrue(e.getMessage().startsWith("other: neither a client result"), e.getMessage());
        JsonException bad = assertThrows(JsonException.class, () -> HtmlReport.fromDocuments(List.of(
                new HtmlReport.Document("broken", Json.parseObject("{\"columns\": [], \"scenarios\": [{}]}")))));
        assertTrue(bad.getMessage().startsWith("broken: scenarios[0]"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HtmlReport.fromDocuments(List.of()));
    }

    @Test
    void textFromTheDocumentsIsEscaped() throws Exception {
        String evil = "<img src=x onerror=alert(1)>\"'&";
        ScenarioTable t = new ScenarioTable(evil, List.of(new ScenarioTable.Column("k", evil, evil, true)),
                List.of(new ScenarioTable.Row(evil, evil, evil, evil, List.of(ScenarioTable.Cell.failed(evil)))), evil);
        for (String html : List.of(HtmlReport.matrix(t, Map.of(evil, evil)), HtmlReport.compare(t, evil, t, evil))) {
            assertSelfContained(html);
            assertFalse(html.contains("<img"), "no markup from the data");
            assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"));
            svgs(html);
        }
    }
}
