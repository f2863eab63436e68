package dev.netbench.gate;

import dev.netbench.json.Json;
import dev.netbench.report.ScenarioTable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GateTest {
    /** Two tcp_bw results of a sweep, one tcp_lat and one http, shaped as the client's --json document. */
    private static final Map<String, Object> RUN = Json.parseObject("""
            {"results": [
              {"test": "tcp_bw", "msg_size": 1024, "bits_per_second": 9.5e9, "retransmits": 0},
              {"test": "tcp_bw", "msg_size": 131072, "bits_per_second": 2.0e10, "retransmits": 12},
              {"test": "tcp_lat", "msg_size": 1, "latency_us": 10.5, "rtt_us": {"p50": 20.0, "p99": 212.5}},
              {"test": "http", "msg_size": 0, "requests_per_second": 5000, "failed": {"total": 3, "connect": 3},
               "latency_us": null}
            ]}""");

    private static List<Gate.Breach> check(String... thresholds) {
        return Gate.check(java.util.Arrays.stream(thresholds).map(Threshold::parse).toList(), RUN);
    }

    @Test
    void everyResultOfTheTestIsChecked() {
        List<Gate.Breach> b = check("tcp_bw < 10G");
        assertEquals(1, b.size(), "only the 1 KiB result is below 10 Gbit/s");
        assertEquals(9.5e9, b.get(0).measured());
        assertEquals("threshold breached: tcp_bw < 10G: tcp_bw at msg 1 KiB measured 9.50 Gbit/s", b.get(0).message());
        assertEquals(2, check("tcp_bw < 30G").size());
        assertEquals(0, check("tcp_bw < 9G").size());
    }

    @Test
    void strictAndInclusiveComparisonsAtTheBoundary() {
        assertEquals(0, check("tcp_lat.p99 > 212.5us").size());
        assertEquals(1, check("tcp_lat.p99 >= 212.5us").size());
        assertEquals(0, check("tcp_bw < 9.5G").size());
        assertEquals(1, check("tcp_bw <= 9.5G").size());
        assertEquals(1, check("tcp_lat.p99 > 0.2ms").size(), "212.5 us is over 0.2 ms");
    }

    @Test
    void anObjectWithATotalStandsForItAndNullBreaches() {
        List<Gate.Breach> failed = check("http.failed > 0");
        assertEquals(3.0, failed.get(0).measured());
        List<Gate.Breach> unmeasured = check("http.p99 > 1s");
        assertEquals(1, unmeasured.size(), "a figure that was not measured does not pass");
        assertNull(unmeasured.get(0).measured());
        assertTrue(unmeasured.get(0).message().endsWith("not measured"), unmeasured.get(0).message());
    }

    @Test
    void aMatrixTableIsCheckedInEveryScenarioWithAValue() {
        ScenarioTable.Column lat = new ScenarioTable.Column("tcp_lat", "latency", "us", false);
        ScenarioTable.Column cost = new ScenarioTable.Column("send_cost", "send_cost", "s/GB", false);
        ScenarioTable table = new ScenarioTable("t", List.of(lat, cost), List.of(
                new ScenarioTable.Row("node-node", "Node>Node", "a", "b", List.of(ScenarioTable.Cell.of(40), ScenarioTable.Cell.of(0.5))),
                new ScenarioTable.Row("pod-pod", "Pod>Pod", "p", "q", List.of(ScenarioTable.Cell.of(120),
                        ScenarioTable.Cell.notApplicable("one host"))),
                new ScenarioTable.Row("svc", "Svc", null, null, List.of(ScenarioTable.Cell.failed("refused"), ScenarioTable.Cell.of(0.1)))),
                "node-node");
        java.util.function.Function<Threshold, String> columns = t -> t.path().equals("latency_us") ? "tcp_lat"
                : t.path().equals("send_cost_s_per_gb") ? "send_cost" : null;
        List<Gate.Breach> slow = Gate.check(List.of(Threshold.parse("tcp_lat > 100us")), table, columns);
        assertEquals(1, slow.size(), "the failed cell fails the run, not the gate");
        assertEquals("threshold breached: tcp_lat > 100us: pod-pod (p > q) measured 120.0 us", slow.get(0).message());
        List<Gate.Breach> costly = Gate.check(List.of(Threshold.parse("tcp_bw.send_cost_s_per_gb > 1")), table, columns);
        assertEquals(1, costly.size(), "a cost withheld is not seen, so not passed");
        assertNull(costly.get(0).measured());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gate.check(List.of(Threshold.parse("tcp_lat.p99 > 1ms")), table, columns));
        assertTrue(e.getMessage().contains("no column of tcp_lat's rtt_us.p99 (its columns: tcp_lat, send_cost)"), e.getMessage());
    }

    @Test
    void aTestTheRunDidNotHaveIsNotBreachedButAFigureItLacksIsAnError() {
        assertEquals(0, check("udp_bw.lost_percent > 0").size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> check("tcp_bw.goodput < 1G"));
        assertTrue(e.getMessage().contains("no figure 'goodput'") && e.getMessage().contains("bits_per_second"), e.getMessage());
    }
}
