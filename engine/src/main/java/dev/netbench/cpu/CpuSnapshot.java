package dev.netbench.cpu;

/** Cumulative CPU counters at one instant; two snapshots bound a measured window. */
public record CpuSnapshot(long nanoTime, ProcessCpu process, HostCpu host) {

    /** Usage from {@code start} to this snapshot. */
    public CpuUsage since(CpuSnapshot start) {
        return new CpuUsage((nanoTime - start.nanoTime) / 1e9, process.minus(start.process), host.minus(start.host));
    }
}
