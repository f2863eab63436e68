package dev.netbench.report.html;

import dev.netbench.cpu.Baseline;
import dev.netbench.cpu.Cost;
import dev.netbench.cpu.CpuUsage;
import dev.netbench.cpu.HostCpu;
import dev.netbench.cpu.ProcessCpu;
import dev.netbench.cpu.Softirqs;
import dev.netbench.host.Identity;
import dev.netbench.latency.LatencyRecorder;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.Bandwidth;
import dev.netbench.report.Latency;
import dev.netbench.report.RunReport;
import dev.netbench.report.ScenarioTable;
import dev.netbench.report.ScenarioTableJson;
import dev.netbench.report.TestResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs and tables with known figures. */
final class Fixtures {
    static final CpuUsage CPU = new CpuUsage(1, new ProcessCpu(0.5, 0.25), 0, null, new HostCpu(0.5, 0.5, 0, 0.1, 0, 3, 0),
            new Softirqs(100, 10), null, new Baseline(0.5, 0.05), null);

    private Fixtures() {
    }

    /** tcp_bw and tcp_lat at each size: bandwidth size × 10⁸ bit/s, RTTs 1000 samples from (10 + size) µs up. */
    static RunReport sweep(int... sizes) {
        List<TestResult> results = new ArrayList<>();
        for (int size : sizes) {
            Bandwidth bw = new Bandwidth(size * 12_500_000L, size * 12_500_000L, 1, size * 1e8, 1000, Cost.of(CPU, size * 1.25e7), Cost.of(CPU, size * 1.25e7),
                    List.of(new Bandwidth.Stream(1, size * 12_500_000L, size * 12_500_000L, 1, size * 1e8, null)), null, null);
            results.add(new TestResult(TestKind.TCP_BW, size, 1, false, bw, null, null, null, CPU, CPU));
            LatencyRecorder r = new LatencyRecorder();
            for (int i = 0; i < 1000; i++) {
                r.record((10 + size) * 1000L + i * 10L);
            }
            Latency lat = new Latency(1000, 1, r.meanMicros() / 2, 2000, r.stats(), 0);
            results.add(new TestResult(TestKind.TCP_LAT, size, 1, false, null, lat, null, null, CPU, CPU));
        }
        Identity a = new Identity("client-host", "0.1.0", "Debian 12", "6.1.0", "EPYC 7B13", 4, Map.of("NODE_NAME", "node-a"));
        Identity b = new Identity("server-host", "0.1.0", "Debian 12", "6.1.0", "EPYC 7B13", 8, Map.of());
        return new RunReport("0.1.0", "10.0.0.7", false, a, b, new RunReport.Settings(1, 0, 1, false, "epoll"), results);
    }

    /**
     * tcp_bw at each size measured three times (--repeat 3): size × 10⁸ bit/s, then 0.9 and 1.1 times that, so each
     * result's interval is mean ± t(0.975, 2) · 0.1 · value / √3.
     */
    static RunReport repeatedSweep(int... sizes) {
        List<TestResult> results = new ArrayList<>();
        for (int size : sizes) {
            List<TestResult> runs = new ArrayList<>();
            for (double f : new double[] {1, 0.9, 1.1}) {
                double bps = size * 1e8 * f;
                Bandwidth bw = new Bandwidth((long) (bps / 8), (long) (bps / 8), 1, bps, 1000, Cost.of(CPU, bps / 8), Cost.of(CPU, bps / 8),
                        List.of(new Bandwidth.Stream(1, (long) (bps / 8), (long) (bps / 8), 1, bps, null)), null, null);
                runs.add(new TestResult(TestKind.TCP_BW, size, 1, false, bw, null, null, null, CPU, CPU));
            }
            results.add(TestResult.repeated(runs));
        }
        Identity a = new Identity("client-host", "0.1.0", "Debian 12", "6.1.0", "EPYC 7B13", 4, Map.of());
        return new RunReport("0.1.0", "10.0.0.7", false, a, a, new RunReport.Settings(1, 0, 1, false, "epoll", -1, -1, 3), results);
    }

    static String resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ScenarioTable calico() {
        return ScenarioTableJson.parse(resource("matrix-calico.json"));
    }

    static ScenarioTable cilium() {
        return ScenarioTableJson.parse(resource("matrix-cilium.json"));
    }
}
