package dev.netbench.report;

import dev.netbench.cpu.CpuUsage;
import dev.netbench.protocol.TestKind;

/**
 * One test at one message size. Exactly one of {@code bandwidth}, {@code latency}, {@code http} and
 * {@code connectRate} is set, by test kind. CPU figures are those of stream 1's measured window at each end (docs/metrics.md); an http test
 * has the client's only ({@code remoteCpu} null).
 */
public record TestResult(TestKind test, int msgSize, int streams, boolean reverse,
                         Bandwidth bandwidth, Latency latency, HttpFigures http, ConnectRate connectRate,
                         CpuUsage localCpu, CpuUsage remoteCpu) {

    public static TestResult http(HttpFigures figures, int msgSize) {
        return new TestResult(TestKind.HTTP, msgSize, figures.concurrency(), false, null, null, figures, null, figures.cpu(), null);
    }
}
