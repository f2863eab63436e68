package dev.netbench.report;

import dev.netbench.cpu.CpuUsage;
import dev.netbench.protocol.TestKind;

/**
 * One test at one message size. Exactly one of {@code bandwidth} and {@code latency} is set, by test kind.
 * CPU figures are those of stream 1's measured window at each end (docs/metrics.md).
 */
public record TestResult(TestKind test, int msgSize, int streams, boolean reverse,
                         Bandwidth bandwidth, Latency latency, CpuUsage localCpu, CpuUsage remoteCpu) {
}
