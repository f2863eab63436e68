package dev.netbench.cpu;

/**
 * CPU used by one end over one measured window of {@code wallSeconds}: the whole host's (qperf's figures), this
 * process's, and the host's baseline from just before the test. A part that could not be measured is null and its
 * {@code …Missing} field says why.
 *
 * @param process         the process's CPU, all threads, JIT compiler threads included
 * @param compilerSeconds of which the JIT compiler threads used this much (left out of the process figures)
 * @param softirqs        NET_RX/NET_TX softirqs raised host-wide in the window (null where /proc/softirqs is unreadable)
 */
public record CpuUsage(double wallSeconds, ProcessCpu process, double compilerSeconds, String processMissing,
                       HostCpu host, Softirqs softirqs, String hostMissing, Baseline baseline, String baselineMissing) {

    /** Compiler CPU worth a note: at least a tenth of the process's CPU in the window, and more than one tick. */
    private static final double SIGNIFICANT_SHARE = 0.1;

    /** qperf's {@code cpus_used}: the host's busy CPU seconds per wall second, in % of one CPU (may exceed 100). */
    public double hostCpusUsed() {
        return host == null ? Double.NaN : percentOfOneCpu(host.busy());
    }

    /** {@link #hostCpusUsed()} less the baseline's rate: what the host spent on top of what it spends anyway. */
    public double hostCpusUsedNet() {
        return host == null || baseline == null ? Double.NaN : hostCpusUsed() - baseline.cpusUsed();
    }

    /** The netbench process's CPU seconds per wall second, JIT compilation left out, in % of one CPU. */
    public double processCpusUsed() {
        return process == null ? Double.NaN : percentOfOneCpu(processSeconds());
    }

    /** The process's CPU seconds in the window without its compiler threads'. */
    public double processSeconds() {
        return process == null ? Double.NaN : Math.max(0, process.total() - compilerSeconds);
    }

    /** True when JIT compilation took a share of the window's process CPU worth saying so. */
    public boolean compilerSignificant() {
        return process != null && compilerSeconds > CpuSampler.TICK_SECONDS
                && compilerSeconds >= SIGNIFICANT_SHARE * process.total();
    }

    private double percentOfOneCpu(double cpuSeconds) {
        return wallSeconds > 0 ? 100.0 * cpuSeconds / wallSeconds : Double.NaN;
    }
}
