package dev.netbench.cli;

import dev.netbench.admission.Limits;
import dev.netbench.json.Json;
import dev.netbench.server.NetbenchServer;
import dev.netbench.server.ServerOptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --under-load on real loopback self-tests: the shape of what it reports and what it refuses. The figures' ground
 * truth (a tbf queue's delay) is .ci/loaded-latency-test.sh's, between network namespaces.
 */
class UnderLoadTest {
    private static double number(Map<?, ?> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    @Test
    void eachRoundTripTestIsMeasuredIdleThenLoadedAndItsOwnFiguresAreTheIdleRuns() {
        Cli.Run r = Cli.run("client", "--tcp-lat", "--udp-lat", "--tcp-crr", "--http", "--under-load", "--load-direction", "up",
                "--load-streams", "2", "-t", "0.5", "--warmup", "0.2", "--json");
        assertEquals(0, r.code(), r.err());
        List<String> progress = r.err().lines().filter(l -> l.contains(" idle") || l.contains(" under load")).toList();
        assertEquals(List.of("tcp_lat idle", "tcp_lat under load: 2 tcp_bw streams up", "tcp_crr idle",
                "tcp_crr under load: 2 tcp_bw streams up", "udp_lat idle", "udp_lat under load: 2 tcp_bw streams up",
                "http idle", "http under load: 2 tcp_bw streams up"), progress);
        for (Object o : (List<?>) Json.parseObject(r.out()).get("results")) {
            Map<?, ?> result = (Map<?, ?>) o;
            String distribution = result.get("test").equals("tcp_crr") ? "transaction_us"
                    : result.get("test").equals("http") ? "latency_us" : "rtt_us";
            Map<?, ?> idle = (Map<?, ?>) result.get("idle");
            Map<?, ?> loaded = (Map<?, ?>) result.get("loaded");
            // by design the same run: equal, not close (http's own latency_us is ab's table, the same run's)
            Map<?, ?> own = (Map<?, ?>) result.get(distribution);
            Map<?, ?> idleRtt = (Map<?, ?>) idle.get(distribution);
            if (result.get("test").equals("http")) {
                assertEquals(own.get("p50"), idleRtt.get("p50"), "http: the idle run is the result's own");
            } else {
                assertEquals(own, idleRtt, result.get("test") + ": the idle run is the result's own");
            }
            assertTrue(number(loaded, "round_trips") > 0, result.toString());
            assertEquals(number(loaded, "rpm"), number(result, "rpm"));
            Map<?, ?> rtt = (Map<?, ?>) loaded.get(distribution);
            double p95Ms = number((Map<?, ?>) rtt.get("percentiles"), "95") / 1e3;
            // the trimmed mean lies between the fastest round trip and the 95th percentile
            assertTrue(number(result, "rpm") >= 60_000 / p95Ms * 0.999 && number(result, "rpm") <= 60_000 / (number(rtt, "min") / 1e3) * 1.001,
                    result.get("test") + ": rpm " + result.get("rpm") + ", p95 " + p95Ms + " ms");
            assertEquals(number(rtt, "p99") / number((Map<?, ?>) idle.get(distribution), "p99"),
                    number((Map<?, ?>) result.get("loaded_over_idle"), "p99"), 1e-9);
            Map<?, ?> load = (Map<?, ?>) result.get("load");
            assertEquals(2L, load.get("streams"));
            assertEquals("up", load.get("direction"));
            assertTrue(number(result, "load_bits_per_second") > 1e6, result.toString());
            assertEquals(number(result, "load_bits_per_second"), number(load, "up_bits_per_second"));
            assertEquals(null, load.get("down_bits_per_second"));
        }
    }

    @Test
    void bothWaysTheLoadIsEachDirectionsGoodputSummed() {
        Cli.Run r = Cli.run("client", "--tcp-lat", "--under-load", "-t", "0.4", "--warmup", "0.2", "--json");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> load = (Map<?, ?>) ((Map<?, ?>) ((List<?>) Json.parseObject(r.out()).get("results")).get(0)).get("load");
        assertEquals("both", load.get("direction"));
        assertEquals(1L, load.get("streams"));
        assertEquals(number(load, "up_bits_per_second") + number(load, "down_bits_per_second"), number(load, "bits_per_second"),
                1e-6 * number(load, "bits_per_second"));
    }

    @Test
    void theTextSaysIdleLoadedRatioRpmAndLoad() {
        Cli.Run r = Cli.run("client", "--udp-lat", "--under-load", "-t", "0.6", "--warmup", "0.1", "-i", "0.2");
        assertEquals(0, r.code(), r.err());
        // -i: the idle run's lines as ever, the loaded run's with the load's rate beside them
        List<String> err = r.err().lines().toList();
        int loadedFrom = err.indexOf("udp_lat under load: 1 tcp_bw stream each way");
        assertTrue(loadedFrom > 0, r.err());
        List<String> idle = err.subList(0, loadedFrom).stream().filter(l -> l.startsWith("[")).toList();
        List<String> loaded = err.subList(loadedFrom, err.size()).stream().filter(l -> l.startsWith("[")).toList();
        assertTrue(idle.size() >= 3 && idle.stream().noneMatch(l -> l.contains("under load")), r.err());
        assertTrue(loaded.size() >= 3 && loaded.stream().allMatch(l -> l.matches(".* udp_lat .*  under load [0-9.]+ [kMG]?bit/s.*")), r.err());
        for (String line : List.of("idle ", "loaded ", "loaded/idle ", "rpm ", "load_bw ")) {
            assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith(line)), line + " in\n" + r.out());
        }
        // udp_lat's ends hand their sockets back to event loops that a self-test then shuts down: quietly
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void aLoadTheAgentsLimitsRefuseSaysSoInOneLineAndLeavesNothingHeld() throws Exception {
        // two test slots: tcp_lat's and one more, where the load needs two (one stream each way)
        try (NetbenchServer agent = NetbenchServer.start(ServerOptions.loopback(), Limits.defaults().withMaxTests(2), line -> { })) {
            Cli.Run r = Cli.run("client", "--tcp-lat", "--under-load", "-t", "0.3", "--warmup", "0.1",
                    "-p", String.valueOf(agent.address().getPort()), "127.0.0.1");
            assertEquals(1, r.code(), r.err());
            List<String> errors = r.err().lines().filter(l -> l.startsWith("netbench:")).toList();
            assertEquals(1, errors.size(), r.err());
            assertTrue(errors.get(0).contains("--under-load: the load beside tcp_lat could not start")
                    && errors.get(0).contains("limit: concurrent tests (2)"), errors.get(0));
            // the round-trip test and the load's accepted stream were closed with it
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (agent.admission().tests() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, agent.admission().tests(), "test slots still held");
        }
    }

    @Test
    void aBadLoadIsOneLineAndExitCodeTwo() {
        for (String[] args : List.of(new String[] {"client", "--tcp-bw", "--under-load"},
                new String[] {"client", "--tcp-lat", "--load-streams", "2"},
                new String[] {"client", "--tcp-lat", "--under-load", "--load-streams", "0"},
                new String[] {"client", "--tcp-lat", "--under-load", "--load-streams", "17"},
                new String[] {"client", "--tcp-lat", "--under-load", "--load-direction", "sideways"},
                new String[] {"client", "--iperf3", "127.0.0.1", "--under-load"},
                new String[] {"client", "--http", "--under-load", "http://127.0.0.1:1/"},
                new String[] {"client", "--http", "--under-load", "-n", "100"})) {
            Cli.Run r = Cli.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("load"), r.err());
            assertEquals("", r.out());
        }
    }
}
