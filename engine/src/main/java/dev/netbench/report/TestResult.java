package dev.netbench.report;

import dev.netbench.cpu.CpuUsage;
import dev.netbench.protocol.TestKind;

import java.util.List;

/**
 * One test at one message size. Exactly one of {@code bandwidth}, {@code latency}, {@code http}, {@code connectRate}
 * and {@code mtu} is set, by test kind. CPU figures are those of stream 1's measured window at each end (docs/metrics.md); an http test
 * has the client's only ({@code remoteCpu} null). {@code samples}: a test measured N times (--repeat N), its
 * headline figures' samples; its figures are then those of its median run ({@link #repeated}); null for one run.
 * {@code underLoad}: a round-trip test measured idle and under load (--under-load), whose own figures are then the
 * idle run's; null otherwise.
 */
public record TestResult(TestKind test, int msgSize, int streams, boolean reverse,
                         Bandwidth bandwidth, Latency latency, HttpFigures http, ConnectRate connectRate,
                         CpuUsage localCpu, CpuUsage remoteCpu, Samples samples, UnderLoad underLoad, PathMtu mtu) {

    /** Measured once. */
    public TestResult(TestKind test, int msgSize, int streams, boolean reverse, Bandwidth bandwidth, Latency latency,
                      HttpFigures http, ConnectRate connectRate, CpuUsage localCpu, CpuUsage remoteCpu) {
        this(test, msgSize, streams, reverse, bandwidth, latency, http, connectRate, localCpu, remoteCpu, null, null, null);
    }

    /** The mtu test's. */
    public static TestResult mtu(PathMtu mtu, int msgSize, CpuUsage localCpu, CpuUsage remoteCpu) {
        return new TestResult(TestKind.MTU, msgSize, 1, false, null, null, null, null, localCpu, remoteCpu, null, null, mtu);
    }

    /** This (idle) run with the same test's loaded run beside it. */
    public TestResult withUnderLoad(UnderLoad load) {
        return new TestResult(test, msgSize, streams, reverse, bandwidth, latency, http, connectRate, localCpu, remoteCpu,
                samples, load, mtu);
    }

    public static TestResult http(HttpFigures figures, int msgSize) {
        return new TestResult(TestKind.HTTP, msgSize, figures.concurrency(), false, null, null, figures, null, figures.cpu(), null);
    }

    /**
     * One test measured again and again ({@code runs}, in order) as one result: the run whose headline figure is the
     * median, with every run's headline figures as its samples. With an even number of runs, the lower of the two
     * middle ones, so that each figure printed is one measured with the others; the exact median is in the samples'
     * summary. A single run stays as it is.
     */
    public static TestResult repeated(List<TestResult> runs) {
        if (runs.size() == 1) {
            return runs.get(0);
        }
        Samples samples = Samples.of(runs);
        // the headline figure's samples, one a run in order
        TestResult m = runs.get(Samples.medianRun(samples.values().values().iterator().next()));
        return new TestResult(m.test, m.msgSize, m.streams, m.reverse, m.bandwidth, m.latency, m.http, m.connectRate,
                m.localCpu, m.remoteCpu, samples, m.underLoad, m.mtu);
    }
}
