package dev.netbench.report;

import dev.netbench.cpu.Cost;
import dev.netbench.cpu.CpuUsage;
import dev.netbench.cpu.HostCpu;
import dev.netbench.cpu.ProcessCpu;
import dev.netbench.cpu.Softirqs;
import dev.netbench.host.Identity;
import dev.netbench.json.Json;
import dev.netbench.latency.LatencyRecorder;
import dev.netbench.latency.RttFigures;
import dev.netbench.protocol.TestKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --repeat's results: the median run's figures with every run's headline figures beside them, in each format. */
class RepeatedResultTest {
    private static final CpuUsage CPU = new CpuUsage(1, new ProcessCpu(0.5, 0.25), 0, null, new HostCpu(0.5, 0.5, 0, 0.1, 0, 3, 0),
            new Softirqs(100, 10), null, null, null);

    /** A tcp_bw run of {@code bps} goodput, {@code bytes} counted (a figure that tells the runs apart). */
    private static TestResult bw(double bps, long bytes) {
        Bandwidth b = new Bandwidth(bytes, bytes, 1, bps, bps / 8 / 1024, Cost.of(CPU, bytes), Cost.of(CPU, bytes),
                List.of(new Bandwidth.Stream(1, bytes, bytes, 1, bps, null)), null, null);
        return new TestResult(TestKind.TCP_BW, 1024, 1, false, b, null, null, null, CPU, CPU);
    }

    @Test
    void aRepeatedTestIsItsMedianRunWithEveryRunsSamples() {
        TestResult r = TestResult.repeated(List.of(bw(3e9, 3), bw(1e9, 1), bw(5e9, 5), bw(2e9, 2), bw(4e9, 4)));
        assertEquals(3e9, r.bandwidth().bitsPerSecond());
        assertEquals(3, r.bandwidth().bytes(), "every figure is the median run's own");
        assertEquals(List.of(3e9, 1e9, 5e9, 2e9, 4e9), r.samples().values().get("bits_per_second"), "in the order measured");
        assertEquals(List.of("bits_per_second", "msg_rate"), List.copyOf(r.samples().values().keySet()));
        assertEquals(5, r.samples().count());
    }

    @Test
    void withAnEvenCountItIsTheLowerMiddleRunAndTheSummaryHasTheExactMedian() {
        TestResult r = TestResult.repeated(List.of(bw(4e9, 4), bw(1e9, 1), bw(2e9, 2), bw(3e9, 3)));
        assertEquals(2e9, r.bandwidth().bitsPerSecond());
        assertEquals(2.5e9, r.samples().summary("bits_per_second").median());
    }

    /** A tcp_lat run whose round trips are {@code from}, from + 1 µs, ... {@code n} of them, into {@code all} as well. */
    private static TestResult lat(long from, int n, LatencyRecorder all) {
        LatencyRecorder r = new LatencyRecorder();
        for (int i = 0; i < n; i++) {
            r.record((from + i) * 1000);
            all.record((from + i) * 1000);
        }
        RttFigures rtt = r.stats();
        return new TestResult(TestKind.TCP_LAT, 1, 1, false, null, new Latency(n, 1, rtt.mean() / 2, 2 * n, rtt, 0), null, null, CPU, CPU);
    }

    @Test
    void aRepeatedLatencyTestsDistributionOverAllRunsIsOneHistogramOfEverySample() {
        LatencyRecorder all = new LatencyRecorder();
        TestResult r = TestResult.repeated(List.of(lat(1000, 1000, all), lat(50, 3000, all), lat(20_000, 7, all)));
        RttFigures merged = r.samples().merged().get("rtt_us");
        RttFigures one = all.stats();
        assertEquals(one, merged, "every figure, the percentile ladder and the encoded histogram: the same as one recorder's");
        assertEquals(4007, merged.count());
        assertEquals(List.of("rtt_us"), List.copyOf(r.samples().merged().keySet()));
        Map<?, ?> result = (Map<?, ?>) ((List<?>) Json.parseObject(JsonReport.format(new RunReport("0.1.0", "x", false,
                Identity.local(), null, new RunReport.Settings(1, 0, 1, false, "epoll", -1, -1, 3), List.of(r)))).get("results")).get(0);
        Map<?, ?> json = (Map<?, ?>) ((Map<?, ?>) result.get("merged")).get("rtt_us");
        assertEquals(one.p99(), ((Number) json.get("p99")).doubleValue());
        assertEquals(one.histogram(), json.get("histogram"));
    }

    @Test
    void oneRunStaysAsItIs() {
        TestResult one = bw(1e9, 1);
        assertSame(one, TestResult.repeated(List.of(one)));
        assertNull(one.samples());
    }

    @Test
    void jsonCarriesSamplesIntervalsAndSummaryBesideTheMedianRunsFields() {
        List<TestResult> runs = List.of(bw(13e9, 13), bw(10e9, 10), bw(12e9, 12), bw(14e9, 14), bw(11e9, 11));
        RunReport run = new RunReport("0.1.0", "x", false, Identity.local(), null,
                new RunReport.Settings(1, 0, 1, false, "epoll", -1, -1, 5), List.of(TestResult.repeated(runs)));
        Map<String, Object> doc = Json.parseObject(JsonReport.format(run));
        assertEquals(5L, ((Map<?, ?>) doc.get("settings")).get("repeat"));
        Map<?, ?> result = (Map<?, ?>) ((List<?>) doc.get("results")).get(0);
        assertEquals(12e9, ((Number) result.get("bits_per_second")).doubleValue());
        assertEquals(5L, result.get("sample_count"));
        List<?> samples = (List<?>) ((Map<?, ?>) result.get("samples")).get("bits_per_second");
        assertEquals(List.of(13e9, 10e9, 12e9, 14e9, 11e9), samples.stream().map(v -> ((Number) v).doubleValue()).toList());
        // mean 12e9, s = 1.5811e9, t(0.975, 4) = 2.7764: half-width 1.9632e9
        List<?> ci = (List<?>) ((Map<?, ?>) result.get("ci95")).get("bits_per_second");
        assertEquals(12e9 - 1.9632e9, ((Number) ci.get(0)).doubleValue(), 1e6);
        assertEquals(12e9 + 1.9632e9, ((Number) ci.get(1)).doubleValue(), 1e6);
        Map<?, ?> summary = (Map<?, ?>) ((Map<?, ?>) result.get("sample_summary")).get("bits_per_second");
        assertEquals(12e9, ((Number) summary.get("median")).doubleValue());
        assertEquals(10e9, ((Number) summary.get("min")).doubleValue());
        assertEquals(14e9, ((Number) summary.get("max")).doubleValue());

        String text = TextReport.format(run);
        assertTrue(text.contains("samples              = 5"), text);
        assertTrue(text.contains("bits_per_second      = median 12.0 Gbit/s, min 10.0 Gbit/s, max 14.0 Gbit/s"), text);
        assertTrue(text.contains("95 % CI of the mean 10.0 Gbit/s to 14.0 Gbit/s"), text);

        String[] csv = CsvReport.format(run).split("\n");
        List<String> header = List.of(csv[0].split(",", -1));
        String[] row = csv[1].split(",", -1);
        assertEquals("5", row[header.indexOf("samples")]);
        assertEquals("1.20000e+10", row[header.indexOf("sample_median")]);
        assertEquals(12e9 - 1.9632e9, Double.parseDouble(row[header.indexOf("ci95_low")]), 1e6);
    }

    @Test
    void aRunMeasuredOnceHasNoSamplesInAnyFormat() {
        RunReport run = new RunReport("0.1.0", "x", false, Identity.local(), null, new RunReport.Settings(1, 0, 1, false, "epoll"),
                List.of(bw(1e9, 1)));
        Map<?, ?> result = (Map<?, ?>) ((List<?>) Json.parseObject(JsonReport.format(run)).get("results")).get(0);
        assertTrue(!result.containsKey("samples") && !result.containsKey("ci95"));
        assertTrue(!TextReport.format(run).contains("samples"));
        String[] csv = CsvReport.format(run).split("\n");
        List<String> header = List.of(csv[0].split(",", -1));
        assertEquals("1", csv[1].split(",", -1)[header.indexOf("samples")]);
        assertEquals("", csv[1].split(",", -1)[header.indexOf("ci95_low")]);
    }
}
