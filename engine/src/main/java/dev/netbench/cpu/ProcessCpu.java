package dev.netbench.cpu;

/** CPU seconds used by the netbench process itself (all its threads), from /proc/self/stat. */
public record ProcessCpu(double user, double system) {
    public double total() {
        return user + system;
    }

    ProcessCpu minus(ProcessCpu o) {
        return new ProcessCpu(user - o.user, system - o.system);
    }
}
