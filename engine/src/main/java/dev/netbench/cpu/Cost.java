package dev.netbench.cpu;

/**
 * One end's CPU cost of moving data, in CPU seconds per GB (10^9 bytes), three ways:
 * {@code host} is qperf's {@code send_cost}/{@code recv_cost} (the whole host's busy CPU), {@code hostNet} the same
 * less the host's baseline, {@code process} the netbench process's own (JIT compilation left out).
 * Computed from rates, so the CPU window and the byte window need not be the same length:
 * (CPU seconds per wall second) / (GB per wall second). A figure that cannot be given is NaN and
 * {@code hostMissing} / {@code processMissing} say why.
 */
public record Cost(double host, double hostNet, double process, String hostMissing, String netMissing,
                   String processMissing) {

    /** The cost of moving {@code bytesPerSecond} for the end whose window used {@code cpu}. */
    public static Cost of(CpuUsage cpu, double bytesPerSecond) {
        double gbPerSecond = bytesPerSecond / 1e9;
        if (!(gbPerSecond > 0) || !(cpu.wallSeconds() > 0)) {
            String why = "nothing was moved in a measured window";
            return new Cost(Double.NaN, Double.NaN, Double.NaN, why, why, why);
        }
        return new Cost(cpu.hostCpusUsed() / 100 / gbPerSecond, cpu.hostCpusUsedNet() / 100 / gbPerSecond,
                cpu.processCpusUsed() / 100 / gbPerSecond, cpu.hostMissing(),
                cpu.hostMissing() != null ? cpu.hostMissing() : cpu.baselineMissing(), cpu.processMissing());
    }

    /** The host-wide figures withheld: both ends ran on one host, so its CPU cannot be split between them. */
    public Cost hostNotSeparable(String why) {
        return new Cost(Double.NaN, Double.NaN, process, why, why, processMissing);
    }

    /** Every figure withheld: both ends ran in one process on one host. */
    public Cost notSeparable(String why) {
        return new Cost(Double.NaN, Double.NaN, Double.NaN, why, why, why);
    }
}
