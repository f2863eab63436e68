package dev.netbench.cli;

import dev.netbench.json.Json;
import dev.netbench.report.ScenarioTable;
import dev.netbench.report.ScenarioTableJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** compare's verdicts, --json and --fail-if-worse on saved matrix documents with known samples. */
class CompareVerdictTest {
    private static final ScenarioTable.Column BW = new ScenarioTable.Column("tcp_bw", "bandwidth", "bit/s", true);
    private static final ScenarioTable.Column LAT = new ScenarioTable.Column("tcp_lat", "latency", "us", false);

    @TempDir
    Path dir;

    private Path save(String name, ScenarioTable.Cell bw, ScenarioTable.Cell lat) throws IOException {
        ScenarioTable t = new ScenarioTable("t", List.of(BW, LAT),
                List.of(new ScenarioTable.Row("node_to_node", "node to node", "a", "b", List.of(bw, lat))), "node_to_node");
        Path p = dir.resolve(name);
        Files.writeString(p, ScenarioTableJson.format(t, "0.1.0"));
        return p;
    }

    private static ScenarioTable.Cell sampled(double... v) {
        return ScenarioTable.Cell.sampled(java.util.Arrays.stream(v).boxed().toList());
    }

    @Test
    void aSlowerLinkIsSignificantlyWorseAndTheSamePathIsWithinNoise() throws IOException {
        // bandwidth: 200 against 150 Mbit/s, a little noise on each; latency: the same values shuffled
        Path a = save("a.json", sampled(200e6, 201e6, 199e6, 200.5e6), sampled(50, 52, 51, 49));
        Path b = save("b.json", sampled(150e6, 151e6, 149e6, 150.5e6), sampled(51, 49, 50, 52));
        Cli.Run text = Cli.run("compare", a.toString(), b.toString());
        assertEquals(0, text.code(), text.err());
        String bw = text.out().lines().filter(l -> l.contains("bandwidth")).findFirst().orElseThrow();
        assertTrue(bw.contains("B is 25.0 % lower (95 % CI"), bw);
        assertTrue(bw.contains("worse, significant (p < 0.001)"), bw);
        String lat = text.out().lines().filter(l -> l.contains("latency")).findFirst().orElseThrow();
        assertTrue(lat.contains("within noise (p = "), lat);

        Cli.Run json = Cli.run("compare", "--json", a.toString(), b.toString());
        assertEquals(0, json.code(), json.err());
        List<?> cells = (List<?>) Json.parseObject(json.out()).get("comparisons");
        Map<?, ?> bwCell = (Map<?, ?>) cells.get(0);
        assertEquals("tcp_bw", bwCell.get("metric"));
        assertEquals(true, bwCell.get("significant"));
        assertEquals(-24.984, ((Number) bwCell.get("mean_difference_percent")).doubleValue(), 0.001);
        List<?> ci = (List<?>) bwCell.get("ci95");
        assertTrue(((Number) ci.get(0)).doubleValue() < -24.984 && ((Number) ci.get(1)).doubleValue() > -24.984, ci.toString());
        assertEquals(4L, ((Map<?, ?>) bwCell.get("a")).get("sample_count"));
        Map<?, ?> latCell = (Map<?, ?>) cells.get(1);
        assertEquals(false, latCell.get("significant"));
        assertTrue(((Number) latCell.get("p_value")).doubleValue() > 0.05);
    }

    @Test
    void failIfWorseBreachesOnlyOnASignificantDifferenceBeyondItsBound() throws IOException {
        Path a = save("a.json", sampled(200e6, 201e6, 199e6), sampled(50, 52, 51));
        Path b = save("b.json", sampled(190e6, 191e6, 189e6), sampled(51, 49, 50));
        Cli.Run breach = Cli.run("compare", "--fail-if-worse", "4%", a.toString(), b.toString());
        assertEquals(3, breach.code(), breach.err());
        List<String> lines = breach.err().strip().lines().toList();
        assertEquals(1, lines.size(), breach.err());
        assertTrue(lines.get(0).startsWith("netbench: worse than 4%: node to node tcp_bw: B is 5.0 % lower"), lines.get(0));
        Cli.Run within = Cli.run("compare", "--fail-if-worse", "6%", a.toString(), b.toString());
        assertEquals(0, within.code(), within.err());
        Cli.Run bad = Cli.run("compare", "--fail-if-worse", "five", a.toString(), b.toString());
        assertEquals(2, bad.code());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }

    @Test
    void oneSampleASideGivesNoVerdictAndNeverFails() throws IOException {
        Path a = save("a.json", ScenarioTable.Cell.of(200e6), ScenarioTable.Cell.of(50));
        Path b = save("b.json", ScenarioTable.Cell.of(100e6), ScenarioTable.Cell.of(90));
        Cli.Run text = Cli.run("compare", "--fail-if-worse", "1%", a.toString(), b.toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("no verdict: 1 and 1 samples (matrix --repeat 3 or more on both)"), text.out());
        Map<?, ?> cell = (Map<?, ?>) ((List<?>) Json.parseObject(Cli.run("compare", "--json", a.toString(), b.toString()).out())
                .get("comparisons")).get(0);
        assertEquals(-50.0, ((Number) cell.get("difference_percent")).doubleValue(), 1e-9);
        assertNull(cell.get("p_value"));
        assertNull(cell.get("significant"));
    }
}
