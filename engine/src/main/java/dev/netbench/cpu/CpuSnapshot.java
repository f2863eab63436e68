package dev.netbench.cpu;

import java.util.Map;

/**
 * Cumulative CPU counters at one instant; two snapshots bound a measured window. A part that could not be read
 * is null, and {@code processMissing} / {@code hostMissing} say why.
 */
public record CpuSnapshot(long nanoTime, ProcessCpu process, Map<Long, Double> compilerThreads, String processMissing,
                          HostCpu host, Softirqs softirqs, String hostMissing) {

    /** Usage from {@code start} to this snapshot, with no baseline. */
    public CpuUsage since(CpuSnapshot start) {
        return since(start, null, "no baseline was taken");
    }

    /** Usage from {@code start} to this snapshot; {@code baseline} null with the reason in {@code baselineMissing}. */
    public CpuUsage since(CpuSnapshot start, Baseline baseline, String baselineMissing) {
        String pMissing = processMissing != null ? processMissing : start.processMissing;
        String hMissing = hostMissing != null ? hostMissing : start.hostMissing;
        boolean withSoftirqs = hMissing == null && softirqs != null && start.softirqs != null;
        return new CpuUsage((nanoTime - start.nanoTime) / 1e9,
                pMissing == null ? process.minus(start.process) : null,
                pMissing == null ? CompilerThreads.since(start.compilerThreads, compilerThreads) : Double.NaN,
                pMissing,
                hMissing == null ? host.minus(start.host) : null,
                withSoftirqs ? softirqs.minus(start.softirqs) : null,
                hMissing,
                hMissing == null ? baseline : null,
                hMissing != null ? hMissing : baseline == null ? baselineMissing : null);
    }
}
