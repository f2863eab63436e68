package dev.netbench.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioTableTextTest {
    private static final List<ScenarioTable.Column> COLUMNS = List.of(
            new ScenarioTable.Column("tcp_lat", "latency", "us", false),
            new ScenarioTable.Column("tcp_bw", "bandwidth", "bit/s", true));

    private static ScenarioTable table(double lat, double bw) {
        return new ScenarioTable("t", COLUMNS, List.of(
                new ScenarioTable.Row("node-node", "NodeA>NodeB", "a", "b", List.of(ScenarioTable.Cell.of(lat), ScenarioTable.Cell.of(bw))),
                new ScenarioTable.Row("pod-node", "PodA-1>NodeB", "p", "b", List.of(ScenarioTable.Cell.failed("refused"),
                        ScenarioTable.Cell.failed("refused")))), "node-node");
    }

    @Test
    void allPairsTablesPairTheNthRowOfAScenario() {
        ScenarioTable.Column bw = COLUMNS.get(1);
        ScenarioTable a = new ScenarioTable("a", List.of(bw), List.of(
                new ScenarioTable.Row("pod-pod-cross-node", "PodA-1>PodB-2", "p1", "p3", List.of(ScenarioTable.Cell.of(10))),
                new ScenarioTable.Row("pod-pod-cross-node", "PodA-1>PodB-2", "p1", "p4", List.of(ScenarioTable.Cell.of(20)))), null);
        ScenarioTable b = new ScenarioTable("b", List.of(bw), List.of(
                new ScenarioTable.Row("pod-pod-cross-node", "PodA-1>PodB-2", "p1", "p3", List.of(ScenarioTable.Cell.of(11))),
                new ScenarioTable.Row("pod-pod-cross-node", "PodA-1>PodB-2", "p1", "p4", List.of(ScenarioTable.Cell.of(30)))), null);
        List<ScenarioPairs.Pair> pairs = ScenarioPairs.of(a, b).get(0).pairs();
        assertEquals(2, pairs.size());
        assertEquals(10.0, ScenarioPairs.percent(pairs.get(0).a(), pairs.get(0).b()), 1e-9);
        assertEquals(50.0, ScenarioPairs.percent(pairs.get(1).a(), pairs.get(1).b()), 1e-9);
        assertNull(ScenarioPairs.of(a, table(1, 1)).get(0).pairs().get(0).b(), "a row B lacks");
    }

    @Test
    void compareMarksBetterAndWorseByTheMetricsDirection() {
        String out = ScenarioTableText.compare(table(20, 10e9), "routed", table(25, 12e9), "vxlan");
        String lat = out.lines().filter(l -> l.startsWith("NodeA>NodeB") && l.contains("latency")).findFirst().orElseThrow();
        String bw = out.lines().filter(l -> l.startsWith("NodeA>NodeB") && l.contains("bandwidth")).findFirst().orElseThrow();
        assertTrue(lat.contains("20.0 us") && lat.contains("25.0 us") && lat.contains("+25.0 % (worse)"), lat);
        assertTrue(bw.contains("10.0 Gbit/s") && bw.contains("12.0 Gbit/s") && bw.contains("+20.0 % (better)"), bw);
        // one run a side: the difference is shown, but no verdict on it
        assertTrue(lat.endsWith("no verdict: 1 and 1 samples (matrix --repeat 3 or more on both)"), lat);
        String failed = out.lines().filter(l -> l.startsWith("PodA-1>NodeB")).findFirst().orElseThrow();
        assertTrue(failed.contains("FAILED"), failed);
        assertTrue(out.startsWith("compare: routed (A) vs vxlan (B)"), out);
    }

    @Test
    void failedCellsShareOneNotePerReason() {
        String out = ScenarioTableText.format(table(20, 10e9));
        assertTrue(out.contains("FAILED [1]  FAILED [1]") || out.matches("(?s).*FAILED \\[1]\\s+FAILED \\[1].*"), out);
        assertTrue(out.contains("[1] PodA-1>NodeB: refused"), out);
        assertTrue(!out.contains("[2]"), out);
    }

    @Test
    void csvHasOneLinePerCellInBaseUnits() {
        String csv = ScenarioTableText.csv(table(20, 10e9));
        List<String> lines = csv.lines().toList();
        assertEquals("scenario,label,source,target,metric,value,unit,error", lines.get(0));
        assertEquals(1 + 2 * 2, lines.size());
        assertEquals("node-node,NodeA>NodeB,a,b,tcp_bw,1.0E10,bit/s,", lines.get(2));
        assertEquals("pod-node,PodA-1>NodeB,p,b,tcp_lat,,us,refused", lines.get(3));
    }
}
