package dev.netbench.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads the process's and the host's cumulative CPU counters from /proc. Both count in clock ticks of
 * USER_HZ = 100 on every Linux architecture, so each figure has a resolution of 10 ms (as qperf's).
 * Where a file cannot be read (not Linux, /proc not mounted), that part of the snapshot is null with the reason:
 * an unreadable counter is never a zero.
 */
public final class CpuSampler {
    static final double TICK_SECONDS = 0.01;
    private static final Path SELF_STAT = Path.of("/proc/self/stat");
    private static final Path HOST_STAT = Path.of("/proc/stat");
    private static final Path SOFTIRQS = Path.of("/proc/softirqs");
    /** Takes snapshots off the event loops, so that reading /proc never delays a measured message. */
    private static final ExecutorService OFF_LOOP = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "netbench-cpu-sampler");
        t.setDaemon(true);
        return t;
    });

    private CpuSampler() {
    }

    public static CpuSnapshot snapshot() {
        long now = System.nanoTime();
        ProcessCpu process = null;
        Map<Long, Double> compiler = Map.of();
        String processMissing = null;
        try {
            process = readProcess();
            compiler = CompilerThreads.read();
        } catch (IOException | RuntimeException e) {
            processMissing = "cannot read " + SELF_STAT + ": " + e.getMessage();
        }
        HostCpu host = null;
        String hostMissing = null;
        try {
            host = readHost();
        } catch (IOException | RuntimeException e) {
            hostMissing = "cannot read " + HOST_STAT + ": " + e.getMessage();
        }
        Softirqs softirqs;
        try {
            softirqs = Softirqs.parse(Files.readString(SOFTIRQS));
        } catch (IOException | RuntimeException e) {
            softirqs = null;
        }
        return new CpuSnapshot(now, process, compiler, processMissing, host, softirqs, hostMissing);
    }

    /** A snapshot taken on another thread, now: for a window that opens on an event loop between two messages. */
    private static CompletableFuture<CpuSnapshot> snapshotOffLoop() {
        return CompletableFuture.supplyAsync(CpuSampler::snapshot, OFF_LOOP);
    }

    /** The opening edge of a measured window: the snapshot is taken off the caller's thread; baseline sampling pauses. */
    public static CompletableFuture<CpuSnapshot> openWindow() {
        HostCpuHistory.shared().windowOpened();
        return snapshotOffLoop();
    }

    /** A window opened with {@link #openWindow()} closed or was abandoned: baseline sampling may go on. */
    public static void windowEnded() {
        HostCpuHistory.shared().windowClosed();
    }

    static ProcessCpu readProcess() throws IOException {
        return parseProcessStat(Files.readString(SELF_STAT));
    }

    static HostCpu readHost() throws IOException {
        String stat = Files.readString(HOST_STAT);
        int eol = stat.indexOf('\n');
        return parseHostStat(eol < 0 ? stat : stat.substring(0, eol));
    }

    /** Parses /proc/[pid]/stat: utime and stime are fields 14 and 15, counted after the parenthesised comm. */
    static ProcessCpu parseProcessStat(String stat) {
        String[] f = fields(stat.substring(stat.lastIndexOf(')') + 2), 13);
        // f[0] is field 3 (state), so field n is f[n - 3]
        return new ProcessCpu(Long.parseLong(f[11]) * TICK_SECONDS, Long.parseLong(f[12]) * TICK_SECONDS);
    }

    /** Parses the aggregate "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal [guest guest_nice]. */
    static HostCpu parseHostStat(String line) {
        String[] f = fields(line, 11);
        if (!f[0].equals("cpu") || f.length < 9) {
            throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat: " + line);
        }
        double user = ticks(f[1]) + ticks(f[2]);
        return new HostCpu(user, ticks(f[3]), ticks(f[6]), ticks(f[7]), ticks(f[8]), ticks(f[4]), ticks(f[5]));
    }

    /**
     * The first {@code max} whitespace-separated fields of {@code s} (fewer if it has fewer). Not a regex split: an
     * idle agent samples these files a few times a second in code that stays interpreted, where a regex costs
     * three times the reads.
     */
    static String[] fields(String s, int max) {
        String[] f = new String[max];
        int n = 0;
        int i = 0;
        while (n < max) {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i == s.length()) {
                return Arrays.copyOf(f, n);
            }
            int start = i;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            f[n++] = s.substring(start, i);
        }
        return f;
    }

    private static double ticks(String s) {
        return Long.parseLong(s) * TICK_SECONDS;
    }
}
