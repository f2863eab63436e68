package dev.netbench.cpu;

/**
 * qperf's {@code send_cost} and {@code recv_cost}: CPU seconds spent per GB (10^9 bytes) moved.
 * Computed from rates, so the CPU window and the byte window need not be the same length:
 * (CPU seconds per wall second) / (GB per wall second).
 */
public final class Cost {
    private Cost() {
    }

    /** Seconds of CPU per GB, or NaN when nothing moved or nothing was measured. */
    public static double secondsPerGb(CpuUsage cpu, double bytesPerSecond) {
        if (bytesPerSecond <= 0 || cpu.wallSeconds() <= 0) {
            return Double.NaN;
        }
        double cpuPerSecond = cpu.process().total() / cpu.wallSeconds();
        return cpuPerSecond / (bytesPerSecond / 1e9);
    }
}
