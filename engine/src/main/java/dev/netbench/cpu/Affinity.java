package dev.netbench.cpu;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

import java.util.BitSet;

/**
 * Pins the calling thread to one CPU with sched_setaffinity(2) (through JNA), as netperf's {@code -T} and qperf's
 * {@code -la}/{@code -ra} pin their ends: a round trip moves about fourfold with the two ends' placement (on one
 * CPU, or two), so a figure means little without it.
 */
public final class Affinity {
    /** The cpu_set_t this passes to the kernel: 1024 CPUs, glibc's CPU_SETSIZE. */
    private static final int MASK_BYTES = 128;

    interface LibC extends Library {
        int sched_setaffinity(int pid, long size, byte[] mask) throws LastErrorException;

        int sched_getaffinity(int pid, long size, byte[] mask) throws LastErrorException;
    }

    private static final LibC LIBC;
    /** The CPUs this process may run on, as it started; null where libc cannot be reached. */
    private static final BitSet ALLOWED;
    private static final String MISSING;

    static {
        LibC libc = null;
        BitSet allowed = null;
        String missing = null;
        try {
            libc = Native.load("c", LibC.class);
            byte[] mask = new byte[MASK_BYTES];
            libc.sched_getaffinity(0, MASK_BYTES, mask);
            allowed = BitSet.valueOf(mask);
        } catch (Throwable t) { // UnsatisfiedLinkError, no JNA native library, or the call refused
            missing = "sched_setaffinity(2) could not be reached through JNA: " + t.getMessage();
        }
        LIBC = libc;
        ALLOWED = allowed;
        MISSING = missing;
    }

    private Affinity() {
    }

    /** Why the calling thread cannot be pinned to {@code cpu}, or null when it can. */
    public static String problem(int cpu) {
        if (MISSING != null) {
            return MISSING;
        }
        if (cpu < 0 || !ALLOWED.get(cpu)) {
            return "CPU " + cpu + " is not one this process may run on (" + describe(ALLOWED) + ")";
        }
        return null;
    }

    /** The first {@code n} CPUs this process may run on, fewer if it has fewer; empty where it cannot pin. */
    public static int[] firstAllowed(int n) {
        return ALLOWED == null ? new int[0] : ALLOWED.stream().limit(n).toArray();
    }

    /** Pins the calling thread to {@code cpu}; IllegalStateException saying why if it cannot. */
    public static void pin(int cpu) {
        String problem = problem(cpu);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        byte[] mask = new byte[MASK_BYTES];
        mask[cpu / 8] = (byte) (1 << (cpu % 8));
        try {
            LIBC.sched_setaffinity(0, MASK_BYTES, mask);
        } catch (LastErrorException e) {
            throw new IllegalStateException("sched_setaffinity(2) to CPU " + cpu + " failed: errno " + e.getErrorCode());
        }
    }

    /** "CPUs 0-3", "CPUs 0, 2": the set as a user would read it. */
    static String describe(BitSet cpus) {
        StringBuilder out = new StringBuilder("CPUs ");
        int from = cpus.nextSetBit(0);
        while (from >= 0) {
            int to = cpus.nextClearBit(from) - 1;
            out.append(out.length() > 5 ? ", " : "").append(from).append(to > from ? "-" + to : "");
            from = cpus.nextSetBit(to + 1);
        }
        return out.toString();
    }
}
