package dev.netbench.cpu;

/**
 * The host's CPU over a stretch just before a test, while this end ran none of it, less this netbench process's
 * own (its start-up): what the host spends anyway (its other work, other tenants), to be taken off the host-wide
 * figures of the test's window.
 */
public record Baseline(double wallSeconds, double busySeconds) {

    /** Busy CPU seconds per wall second, in % of one CPU, as {@link CpuUsage#hostCpusUsed()}. */
    public double cpusUsed() {
        return wallSeconds > 0 ? 100.0 * busySeconds / wallSeconds : Double.NaN;
    }

    /** A baseline, or null and why there is none. */
    public record Reading(Baseline value, String missing) {
    }
}
