package dev.netbench.cpu;

/** CPU used by one end over one measured window of {@code wallSeconds}. */
public record CpuUsage(double wallSeconds, ProcessCpu process, HostCpu host) {

    /** qperf's {@code cpus_used} for the netbench process: CPU seconds per wall second, in % of one CPU. */
    public double processCpusUsed() {
        return percentOfOneCpu(process.total());
    }

    /** The same for the whole host: may exceed 100 on a host with several CPUs. */
    public double hostCpusUsed() {
        return percentOfOneCpu(host.busy());
    }

    private double percentOfOneCpu(double cpuSeconds) {
        return wallSeconds > 0 ? 100.0 * cpuSeconds / wallSeconds : 0;
    }
}
