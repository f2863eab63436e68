package dev.netbench.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the process's and the host's cumulative CPU counters from /proc. Both count in clock ticks of
 * USER_HZ = 100 on every Linux architecture, so each figure has a resolution of 10 ms (as qperf's).
 * Where /proc is missing (not Linux), every counter reads zero.
 */
public final class CpuSampler {
    static final double TICK_SECONDS = 0.01;
    private static final Path SELF_STAT = Path.of("/proc/self/stat");
    private static final Path HOST_STAT = Path.of("/proc/stat");
    private static final ProcessCpu NO_PROCESS = new ProcessCpu(0, 0);
    private static final HostCpu NO_HOST = new HostCpu(0, 0, 0, 0, 0, 0, 0);

    private CpuSampler() {
    }

    public static CpuSnapshot snapshot() {
        return new CpuSnapshot(System.nanoTime(), readProcess(), readHost());
    }

    private static ProcessCpu readProcess() {
        try {
            return parseProcessStat(Files.readString(SELF_STAT));
        } catch (IOException e) {
            return NO_PROCESS;
        }
    }

    private static HostCpu readHost() {
        try {
            List<String> lines = Files.readAllLines(HOST_STAT);
            return lines.isEmpty() ? NO_HOST : parseHostStat(lines.get(0));
        } catch (IOException e) {
            return NO_HOST;
        }
    }

    /** Parses /proc/[pid]/stat: utime and stime are fields 14 and 15, counted after the parenthesised comm. */
    static ProcessCpu parseProcessStat(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state), so field n is f[n - 3]
        return new ProcessCpu(Long.parseLong(f[11]) * TICK_SECONDS, Long.parseLong(f[12]) * TICK_SECONDS);
    }

    /** Parses the aggregate "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal [guest guest_nice]. */
    static HostCpu parseHostStat(String line) {
        String[] f = line.trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 9) {
            throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat: " + line);
        }
        double user = ticks(f[1]) + ticks(f[2]);
        return new HostCpu(user, ticks(f[3]), ticks(f[6]), ticks(f[7]), ticks(f[8]), ticks(f[4]), ticks(f[5]));
    }

    private static double ticks(String s) {
        return Long.parseLong(s) * TICK_SECONDS;
    }
}
