package dev.netbench.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertEquals(10.5 + 3.0 + 0.05 + 0.7 + 0.03, h.busy(), EPS);
        assertThrows(IllegalArgumentException.class, () -> CpuSampler.parseHostStat("cpu0 1 2 3 4 5 6 7 8"));
    }

    @Test
    void usageIsTheDifferenceOfTwoSnapshots() {
        CpuSnapshot a = new CpuSnapshot(1_000_000_000L, new ProcessCpu(1, 2), new HostCpu(10, 5, 0, 1, 0, 100, 0));
        CpuSnapshot b = new CpuSnapshot(3_000_000_000L, new ProcessCpu(1.5, 3), new HostCpu(11, 6, 0, 1.5, 0, 102, 0));
        CpuUsage u = b.since(a);
        assertEquals(2.0, u.wallSeconds(), EPS);
        assertEquals(1.5, u.process().total(), EPS);
        assertEquals(75.0, u.processCpusUsed(), EPS, "1.5 CPU-s in 2 s = 75 % of one CPU");
        assertEquals(125.0, u.hostCpusUsed(), EPS, "2.5 busy CPU-s in 2 s");
    }

    @Test
    void costIsCpuSecondsPerGigabyte() {
        CpuUsage halfCpu = new CpuUsage(10, new ProcessCpu(3, 2), new HostCpu(0, 0, 0, 0, 0, 0, 0));
        // 0.5 CPU-s per s moving 2 GB/s: 0.25 s per GB
        assertEquals(0.25, Cost.secondsPerGb(halfCpu, 2e9), EPS);
        assertTrue(Double.isNaN(Cost.secondsPerGb(halfCpu, 0)));
        assertTrue(Double.isNaN(Cost.secondsPerGb(new CpuUsage(0, halfCpu.process(), halfCpu.host()), 1e9)));
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
    }
}
