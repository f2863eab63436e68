package dev.netbench.cpu;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuTest {
    private static final double EPS = 1e-9;

    @Test
    void processStatSurvivesSpacesAndParensInComm() {
        String stat = "4242 (java (netbench) x) S 1 4242 4242 0 -1 4194560 5000 0 0 0 1234 567 0 0 20 0 30 0 100 0 0";
        ProcessCpu p = CpuSampler.parseProcessStat(stat);
        assertEquals(12.34, p.user(), EPS);
        assertEquals(5.67, p.system(), EPS);
    }

    @Test
    void hostStatSplitsCategories() {
        HostCpu h = CpuSampler.parseHostStat("cpu  1000 50 300 9000 20 5 70 3 0 0");
        assertEquals(10.5, h.user(), EPS, "user includes nice");
        assertEquals(3.0, h.system(), EPS);
        assertEquals(90.0, h.idle(), EPS);
        assertEquals(0.2, h.iowait(), EPS);
        assertEquals(0.05, h.irq(), EPS);
        assertEquals(0.7, h.softirq(), EPS);
        assertEquals(0.03, h.steal(), EPS);
        // qperf sums every column but idle: iowait is busy time to qperf
        assertEquals(10.5 + 3.0 + 0.05 + 0.7 + 0.03 + 0.2, h.busy(), EPS);
        assertThrows(IllegalArgumentException.class, () -> CpuSampler.parseHostStat("cpu0 1 2 3 4 5 6 7 8"));
        assertThrows(IllegalArgumentException.class, () -> CpuSampler.parseHostStat("cpu  1 2 3 4 5 6 7"));
    }

    @Test
    void fieldsSplitOnRunsOfWhitespaceAndStopAtTheirCount() {
        assertArrayEquals(new String[] {"cpu", "1", "22"}, CpuSampler.fields("  cpu \t 1  22\n", 5));
        assertArrayEquals(new String[] {"a", "b"}, CpuSampler.fields("a b c d", 2));
        assertArrayEquals(new String[0], CpuSampler.fields(" \n", 3));
    }

    @Test
    void softirqsSumNetRowsOverCpus() {
        String text = """
                                    CPU0       CPU1
                          HI:          1          0
                       TIMER:     123456     654321
                      NET_TX:         17         25
                      NET_RX:     100000      23456
                       BLOCK:         10         20
                """;
        assertEquals(new Softirqs(123456, 42), Softirqs.parse(text));
        assertThrows(IllegalArgumentException.class, () -> Softirqs.parse("CPU0\nHI: 1\n"));
    }

    @Test
    void compilerThreadsAreFoundByTheirKernelName() {
        assertTrue(CompilerThreads.isCompiler("77 (C2 CompilerThre) S 1 2 3 0 -1 0 0 0 0 0 150 20 0 0"));
        assertTrue(CompilerThreads.isCompiler("78 (C1 CompilerThre) S 1 2 3 0 -1 0 0 0 0 0 15 2 0 0"));
        assertFalse(CompilerThreads.isCompiler("79 (netbench-serve) S 1 2 3 0 -1 0 0 0 0 0 15 2 0 0"));
        // thread 1 grew 0.5 s, thread 2 is new (counted whole), thread 3 ended (its last part is lost, never negative)
        Map<Long, Double> start = Map.of(1L, 2.0, 3L, 9.0);
        Map<Long, Double> end = Map.of(1L, 2.5, 2L, 0.25);
        assertEquals(0.75, CompilerThreads.since(start, end), EPS);
    }

    @Test
    void liveCompilerThreadsAreSeenInThisJvm() {
        // HotSpot's JIT runs here; a reader that never matches would make every figure "JIT-free" unnoticed
        assertFalse(CompilerThreads.read().isEmpty(), "no C1/C2 compiler thread found in /proc/self/task");
    }

    private static CpuSnapshot snapshot(long at, ProcessCpu p, Map<Long, Double> jit, HostCpu h, Softirqs s) {
        return new CpuSnapshot(at, p, jit, null, h, s, null);
    }

    @Test
    void usageIsTheDifferenceOfTwoSnapshots() {
        CpuSnapshot a = snapshot(1_000_000_000L, new ProcessCpu(1, 2), Map.of(7L, 0.25), new HostCpu(10, 5, 0, 1, 0, 100, 0),
                new Softirqs(1000, 10));
        CpuSnapshot b = snapshot(3_000_000_000L, new ProcessCpu(1.5, 3), Map.of(7L, 0.75), new HostCpu(11, 6, 0, 1.5, 0, 102, 0.5),
                new Softirqs(1500, 30));
        CpuUsage u = b.since(a, new Baseline(0.5, 0.25), null);
        assertEquals(2.0, u.wallSeconds(), EPS);
        assertEquals(1.5, u.process().total(), EPS);
        assertEquals(0.5, u.compilerSeconds(), EPS);
        assertEquals(50.0, u.processCpusUsed(), EPS, "1.5 CPU-s less 0.5 s of JIT in 2 s = 50 % of one CPU");
        assertEquals(150.0, u.hostCpusUsed(), EPS, "3 busy CPU-s (iowait included) in 2 s");
        assertEquals(100.0, u.hostCpusUsedNet(), EPS, "less a baseline of 0.25 CPU-s in 0.5 s = 50 %");
        assertEquals(new Softirqs(500, 20), u.softirqs());
        assertTrue(u.compilerSignificant(), "a third of the process's CPU was the JIT's");
    }

    @Test
    void anUnreadablePartIsMissingWithItsReasonNeverZero() {
        CpuSnapshot ok = snapshot(0, new ProcessCpu(1, 1), Map.of(), new HostCpu(1, 1, 0, 0, 0, 1, 0), null);
        CpuSnapshot noHost = new CpuSnapshot(1_000_000_000L, new ProcessCpu(2, 1), Map.of(), null, null, null, "cannot read /proc/stat");
        CpuUsage u = noHost.since(ok, new Baseline(0.5, 0.1), null);
        assertNull(u.host());
        assertTrue(Double.isNaN(u.hostCpusUsed()) && Double.isNaN(u.hostCpusUsedNet()));
        assertEquals("cannot read /proc/stat", u.hostMissing());
        assertEquals(100.0, u.processCpusUsed(), EPS);
        Cost c = Cost.of(u, 1e9);
        assertTrue(Double.isNaN(c.host()));
        assertEquals("cannot read /proc/stat", c.hostMissing());
        assertEquals(1.0, c.process(), EPS);
    }

    @Test
    void costIsCpuSecondsPerGigabyteThreeWays() {
        // 10 s window: host 6 CPU-s busy (0.6 CPUs), baseline 0.1 CPUs, process 5 CPU-s of which 1 s JIT (0.4 CPUs)
        CpuUsage u = new CpuUsage(10, new ProcessCpu(3, 2), 1, null, new HostCpu(3, 2, 0, 1, 0, 14, 0), null, null,
                new Baseline(0.5, 0.05), null);
        Cost c = Cost.of(u, 2e9); // 2 GB/s
        assertEquals(0.3, c.host(), EPS, "0.6 CPU-s/s over 2 GB/s");
        assertEquals(0.25, c.hostNet(), EPS, "0.5 CPU-s/s over 2 GB/s");
        assertEquals(0.2, c.process(), EPS, "0.4 CPU-s/s over 2 GB/s");
        assertTrue(Double.isNaN(Cost.of(u, 0).host()));
        Cost shared = c.hostNotSeparable("one host");
        assertTrue(Double.isNaN(shared.host()) && Double.isNaN(shared.hostNet()));
        assertEquals(0.2, shared.process(), EPS);
        assertEquals("one host", shared.hostMissing());
        assertTrue(Double.isNaN(c.notSeparable("one process").process()));
    }

    @Test
    void aClosingWindowIsSampledAtOnceSoTheNextTestHasItsIdleStretch() throws InterruptedException {
        // a period far longer than the test: any sample after the window closed is the one taken as it closed
        HostCpuHistory h = new HostCpuHistory(TimeUnit.HOURS.toNanos(1));
        h.ensureStarted();
        assertNotNull(awaitBaseline(h), "the first sample, taken as sampling starts");
        h.windowOpened(); // drops it; the next periodic sample is an hour away
        h.windowClosed();
        Baseline b = awaitBaseline(h);
        assertNotNull(b, "no sample since the window closed");
        assertTrue(b.wallSeconds() >= HostCpuHistory.BASELINE_NANOS / 1e9, "reaches back to the close: " + b);
    }

    /** The baseline a test starting 0.5 s from now would read, once there is one (at most 5 s); null if none came. */
    private static Baseline awaitBaseline(HostCpuHistory h) throws InterruptedException {
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); System.nanoTime() < deadline; Thread.sleep(10)) {
            Baseline b = h.baseline(System.nanoTime() + HostCpuHistory.BASELINE_NANOS, 1e9);
            if (b != null) {
                return b;
            }
        }
        return null;
    }

    @Test
    void baselineReachesBackItsLengthOverAnIdleStretchOnly() {
        HostCpuHistory h = new HostCpuHistory();
        long t0 = 1_000_000_000L;
        long step = HostCpuHistory.PERIOD_NANOS;
        double perStep = 0.2 * step / 1e9; // busy CPU seconds per sampling period: 20 % of one CPU
        for (int i = 0; i <= 20; i++) {
            h.record(t0 + i * step, 100 + perStep * i);
        }
        long now = t0 + 20 * step + step / 2;
        Baseline b = h.baseline(now, 100 + 20 * perStep + perStep / 2);
        assertEquals(HostCpuHistory.BASELINE_NANOS / 1e9 + step / 2 / 1e9, b.wallSeconds(), 1e-6);
        assertEquals(20.0, b.cpusUsed(), 1e-6);
        h.windowOpened(); // samples before a window are not next to the next test
        assertNull(h.baseline(now, 100.3));
        h.windowClosed();
        assertNull(h.baseline(now, 100.3), "nothing sampled since the window");
    }

    @Test
    void liveSnapshotsMoveForward() {
        CpuSnapshot a = CpuSampler.snapshot();
        long spin = System.nanoTime() + 50_000_000L;
        double sink = 0;
        while (System.nanoTime() < spin) {
            sink += Math.sqrt(sink + 1);
        }
        CpuUsage u = CpuSampler.snapshot().since(a);
        assertTrue(sink > 0);
        assertTrue(u.wallSeconds() >= 0.05);
        assertTrue(u.process().total() >= 0 && u.host().busy() >= 0);
        assertNotNull(u.softirqs(), "/proc/softirqs is readable here");
    }
}
