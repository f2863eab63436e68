package dev.netbench.cpu;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU seconds of the JVM's JIT compiler threads, per thread, from /proc/self/task: compiling is not network
 * cost, and a fresh process pays for it in its first tests. HotSpot names them "C1 CompilerThreadN" and
 * "C2 CompilerThreadN", which the kernel keeps as the first 15 characters.
 */
final class CompilerThreads {
    private static final Path TASKS = Path.of("/proc/self/task");

    private CompilerThreads() {
    }

    /** utime + stime of every compiler thread alive now, by thread id; empty where /proc cannot be read. */
    static Map<Long, Double> read() {
        Map<Long, Double> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    if (isCompiler(stat)) {
                        threads.put(Long.parseLong(task.getFileName().toString()), CpuSampler.parseProcessStat(stat).total());
                    }
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return threads;
    }

    static boolean isCompiler(String stat) {
        int open = stat.indexOf('(');
        return stat.startsWith("C1 CompilerThre", open + 1) || stat.startsWith("C2 CompilerThre", open + 1);
    }

    /**
     * CPU the compiler threads used between two readings: each thread's growth, a thread started since counted
     * whole. A thread that ended in between is missing from the end reading, so its last part is not counted.
     */
    static double since(Map<Long, Double> start, Map<Long, Double> end) {
        double total = 0;
        for (Map.Entry<Long, Double> e : end.entrySet()) {
            total += Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), 0.0));
        }
        return total;
    }
}
