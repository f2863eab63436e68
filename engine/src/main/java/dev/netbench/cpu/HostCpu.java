package dev.netbench.cpu;

/**
 * CPU seconds of the whole host, summed over all its CPUs, from the first line of /proc/stat.
 * {@code user} includes {@code nice}; softirq is where most of a CNI's encapsulation and packet processing lands.
 */
public record HostCpu(double user, double system, double irq, double softirq, double steal, double idle, double iowait) {

    /**
     * Seconds some CPU was not idle: every column but idle, iowait included, exactly as qperf sums them (qperf's
     * {@code calc_node} adds every /proc/stat column except idle).
     */
    public double busy() {
        return user + system + irq + softirq + steal + iowait;
    }

    HostCpu minus(HostCpu o) {
        return new HostCpu(user - o.user, system - o.system, irq - o.irq, softirq - o.softirq, steal - o.steal,
                idle - o.idle, iowait - o.iowait);
    }
}
