package dev.netbench.report.html;

import dev.netbench.json.Json;
import dev.netbench.json.JsonException;
import dev.netbench.latency.LatencyRecorder;
import dev.netbench.latency.RttFigures;
import dev.netbench.report.JsonReport;
import dev.netbench.report.RunReport;
import dev.netbench.report.TestResult;
import dev.netbench.report.UnderLoad;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** From a run's figures to what the charts draw. */
class ClientRunTest {
    private static ClientSections.SweepChart chart(String kind) {
        return ClientSections.SWEEPS.stream().filter(c -> c.kind().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void bandwidthSweepHasOnePointPerSize() {
        ClientRun run = ClientRun.of(Fixtures.sweep(1, 4, 16));
        List<LineChart.Series> bw = ClientSections.sweepSeries(List.of(run), chart("sweep-bandwidth"));
        assertEquals(1, bw.size());
        assertEquals("tcp_bw", bw.get(0).name());
        assertEquals(List.of(new LineChart.Point(1, 1e8), new LineChart.Point(4, 4e8), new LineChart.Point(16, 16e8)), bw.get(0).points());
        assertTrue(ClientSections.isSweep(bw));
    }

    @Test
    void latencySweepHasQperfsLatencyAndTheRttTail() {
        RunReport report = Fixtures.sweep(1, 4, 16);
        ClientRun run = ClientRun.of(report);
        List<LineChart.Series> lat = ClientSections.sweepSeries(List.of(run), chart("sweep-latency"));
        assertEquals(List.of("tcp_lat latency (mean RTT / 2)", "tcp_lat RTT p99"), lat.stream().map(LineChart.Series::name).toList());
        for (int i = 0; i < 3; i++) {
            var r = report.results().get(2 * i + 1);
            assertEquals(r.msgSize(), lat.get(0).points().get(i).x());
            assertEquals(r.latency().latencyUs(), lat.get(0).points().get(i).y(), 1e-9);
            assertEquals(r.latency().rtt().p99(), lat.get(1).points().get(i).y(), 1e-9);
        }
        assertTrue(ClientSections.sweepSeries(List.of(run), chart("sweep-rate")).isEmpty(), "no tcp_crr or http, no rate chart");
    }

    @Test
    void aSingleSizeIsNoSweep() {
        ClientRun run = ClientRun.of(Fixtures.sweep(128));
        assertFalse(ClientSections.isSweep(ClientSections.sweepSeries(List.of(run), chart("sweep-bandwidth"))));
        assertEquals("", ClientSections.sweeps(List.of(run)));
    }

    @Test
    void severalRunsShareTheChartsUnderTheirNames() {
        Map<String, Object> doc = Json.parseObject(JsonReport.format(Fixtures.sweep(1, 4)));
        List<ClientRun> runs = List.of(ClientRun.read("calico", doc), ClientRun.read("cilium", doc));
        List<LineChart.Series> bw = ClientSections.sweepSeries(runs, chart("sweep-bandwidth"));
        assertEquals(List.of("calico: tcp_bw", "cilium: tcp_bw"), bw.stream().map(LineChart.Series::name).toList());
    }

    @Test
    void aFigureThatCouldNotBeMeasuredIsLeftOut() {
        Map<String, Object> doc = Json.parseObject(JsonReport.format(Fixtures.sweep(1, 4, 16)));
        Map<String, Object> copy = deepCopy(doc);
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) ((List<Object>) copy.get("results")).get(0);
        first.put("bits_per_second", null);
        ClientRun run = ClientRun.read("x", copy);
        List<LineChart.Series> bw = ClientSections.sweepSeries(List.of(run), chart("sweep-bandwidth"));
        assertEquals(List.of(4.0, 16.0), bw.get(0).points().stream().map(LineChart.Point::x).toList());
        assertTrue(run.results().get(0).summary().contains("n/a"), run.results().get(0).summary());
    }

    @Test
    void percentilePlotHasALinePerSizeUpToWhatTheSamplesResolve() {
        RunReport report = Fixtures.sweep(1, 4, 16);
        Map<String, List<LineChart.Series>> d = ClientSections.distributionSeries(ClientRun.of(report));
        assertEquals(List.of("tcp_lat RTT"), List.copyOf(d.keySet()));
        List<LineChart.Series> lines = d.get("tcp_lat RTT");
        assertEquals(List.of("1 B", "4 B", "16 B"), lines.stream().map(LineChart.Series::name).toList());
        List<Double> expected = new ArrayList<>(RttFigures.resolvable(1000));
        expected.remove(100.0);
        assertEquals(expected, lines.get(0).points().stream().map(LineChart.Point::x).toList(), "the 100th is not on the axis");
        RttFigures rtt = report.results().get(1).latency().rtt();
        assertEquals(rtt.percentiles().get(99.0), lines.get(0).points().get(expected.indexOf(99.0)).y(), 1e-9);
        assertTrue(lines.get(0).note().startsWith("max " + AxisUnit.format(rtt.max(), "us")), lines.get(0).note());
        assertTrue(lines.get(0).note().endsWith("1000 samples"), lines.get(0).note());
    }

    @Test
    void underLoadTheIdleAndLoadedRoundTripsShareOneChart() {
        RunReport report = Fixtures.sweep(1);
        TestResult idle = report.results().get(1);
        LatencyRecorder loaded = new LatencyRecorder();
        for (int i = 0; i < 1000; i++) {
            loaded.record(40_000_000L + i * 1000L);
        }
        UnderLoad u = UnderLoad.of(1, "both", idle.latency().rtt(), loaded.stats(), 1000, report.results().get(0).bandwidth());
        RunReport withLoad = new RunReport(report.version(), report.target(), false, report.local(), report.remote(), report.settings(),
                List.of(idle.withUnderLoad(u)));
        Map<String, List<LineChart.Series>> d = ClientSections.distributionSeries(ClientRun.of(withLoad));
        assertEquals(List.of("tcp_lat RTT"), List.copyOf(d.keySet()));
        List<LineChart.Series> lines = d.get("tcp_lat RTT");
        assertEquals(List.of("tcp_lat RTT idle", "tcp_lat RTT loaded"), lines.stream().map(LineChart.Series::name).toList());
        List<Double> expected = new ArrayList<>(RttFigures.resolvable(1000));
        int p50 = expected.indexOf(50.0);
        assertEquals(idle.latency().rtt().percentiles().get(50.0), lines.get(0).points().get(p50).y(), 1e-9);
        assertEquals(loaded.stats().percentiles().get(50.0), lines.get(1).points().get(p50).y(), 1e-9);
    }

    @Test
    void aDocumentWithoutPercentilesFallsBackToItsFewPoints() {
        Map<String, Object> rtt = new LinkedHashMap<>(Map.of("min", 10L, "mean", 12.0, "p50", 11.0, "p90", 13.0, "p99", 20.0,
                "p999", 40.0, "max", 90.0));
        ClientRun.Distribution d = ClientRun.stats("RTT", rtt, 1000);
        assertEquals(List.of(0.0, 50.0, 90.0, 99.0, 99.9, 100.0), List.copyOf(d.percentiles().keySet()));
        assertEquals(90, d.max());
        ClientRun.Distribution few = ClientRun.stats("RTT", rtt, 50);
        assertEquals(List.of(0.0, 50.0, 90.0, 100.0), List.copyOf(few.percentiles().keySet()), "50 samples do not resolve p99");
    }

    @Test
    void httpPhasesArePlottedFromAbsPercentileTable() {
        Map<String, Object> phase = Json.parseObject("""
                {"count": 5000, "min": 80, "mean": 120.5, "sd": 9, "median": 110, "max": 900,
                 "p50": 110, "p66": 115, "p75": 118, "p80": 120, "p90": 130, "p95": 150, "p98": 200, "p99": 300, "p999": 600, "p100": 900}""");
        ClientRun.Distribution d = ClientRun.phase("latency", phase);
        assertEquals(List.of(0.0, 50.0, 66.0, 75.0, 80.0, 90.0, 95.0, 98.0, 99.0, 99.9, 100.0), List.copyOf(d.percentiles().keySet()));
        assertEquals(600, d.percentiles().get(99.9));
        assertEquals(5000, d.count());
    }

    @Test
    void settingsAndIdentitiesComeThrough() {
        ClientRun run = ClientRun.of(Fixtures.sweep(1));
        assertEquals("10.0.0.7", run.target());
        assertTrue(run.local().contains(new ClientRun.Field("hostname", "client-host")));
        assertTrue(run.local().contains(new ClientRun.Field("node_name", "node-a")));
        assertTrue(run.remote().contains(new ClientRun.Field("CPUs", "8")));
        assertTrue(run.settings().contains(new ClientRun.Field("transport", "epoll")));
        assertTrue(run.settings().contains(new ClientRun.Field("measured seconds per test", "1")));
    }

    @Test
    void malformedResultsAreNamed() {
        JsonException e = assertThrows(JsonException.class, () -> ClientRun.read("x", Json.parseObject("{\"results\": 3}")));
        assertTrue(e.getMessage().startsWith("results: expected an array"), e.getMessage());
        JsonException bad = assertThrows(JsonException.class,
                () -> ClientRun.read("x", Json.parseObject("{\"results\": [{\"test\": \"tcp_bw\", \"bits_per_second\": \"fast\"}]}")));
        assertTrue(bad.getMessage().startsWith("results[0]: expected a number"), bad.getMessage());
    }

    @SuppressWarnings("unchecked")
    static <T> T deepCopy(T v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, deepCopy(x)));
            return (T) out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(deepCopy(x)));
            return (T) out;
        }
        return v;
    }
}
