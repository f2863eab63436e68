package dev.netbench.cli;

import dev.netbench.cpu.Affinity;
import dev.netbench.json.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loopback self-test's calibration line: netbench's own tcp_lat floor, its ends on one CPU and on two. */
class CalibrationTest {
    private static String run(String... args) {
        Cli.Run r = Cli.run(args);
        assertEquals(0, r.code(), r.err());
        return r.out();
    }

    @Test
    void aSelfTestWithTcpLatCarriesTheFloorOnOneCpuAndAcrossTwo() {
        int[] cpus = Affinity.firstAllowed(2);
        Map<String, Object> doc = Json.parseObject(run("client", "--tcp-lat", "-t", "0.3", "--warmup", "0", "--json"));
        Map<?, ?> c = (Map<?, ?>) doc.get("calibration");
        assertEquals((long) cpus[0], c.get("cpu_a"));
        double same = ((Number) c.get("same_cpu_latency_us")).doubleValue();
        assertTrue(same > 0 && same < 10_000, c.toString());
        if (cpus.length > 1) {
            assertEquals((long) cpus[1], c.get("cpu_b"));
            double cross = ((Number) c.get("cross_cpu_latency_us")).doubleValue();
            assertTrue(cross > 0 && cross < 10_000, c.toString());
        }
        String text = run("client", "--tcp-lat", "-t", "0.3", "--warmup", "0");
        assertTrue(text.lines().anyMatch(l -> l.matches("    calibration +=  ?tcp_lat [0-9.]+ us on one CPU \\(\\d+\\).*")), text);
    }

    @Test
    void busyPollAndPinnedRunsAndRunsWithoutTcpLatHaveNone() {
        assertFalse(run("client", "--tcp-lat", "--busy-poll", "-t", "0.2", "--warmup", "0", "--json").contains("\"calibration\""));
        assertFalse(run("client", "--tcp-lat", "-T", "0,0", "-t", "0.2", "--warmup", "0", "--json").contains("\"calibration\""));
        assertFalse(run("client", "--tcp-bw", "-t", "0.2", "--warmup", "0", "--json").contains("\"calibration\""));
    }
}
