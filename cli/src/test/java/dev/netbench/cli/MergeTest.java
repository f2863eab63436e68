package dev.netbench.cli;

import dev.netbench.json.Json;
import dev.netbench.report.ScenarioTable;
import dev.netbench.report.ScenarioTableJson;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** netbench merge: saved runs as the samples of one, checked against the runs' own figures and histograms. */
class MergeTest {
    @TempDir
    Path dir;

    private static Histogram decode(Object base64) throws Exception {
        return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode((String) base64)), 0);
    }

    /** netbench merge -o {@code out} {@code inputs}... */
    private static String[] merge(Path out, List<String> inputs) {
        List<String> args = new ArrayList<>(List.of("merge", "-o", out.toString()));
        args.addAll(inputs);
        return args.toArray(String[]::new);
    }

    private static Map<?, ?> result(String json) {
        return (Map<?, ?>) ((List<?>) Json.parseObject(json).get("results")).get(0);
    }

    @Test
    void savedClientRunsBecomeSamplesAndTheirHistogramsOneDistribution() throws Exception {
        List<Path> runs = new ArrayList<>();
        Histogram all = null;
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Cli.Run r = Cli.run("client", "--tcp-lat", "-t", "0.3", "--warmup", "0.1", "--json", "-q");
            assertEquals(0, r.code(), r.err());
            Path p = dir.resolve("run" + i + ".json");
            Files.writeString(p, r.out());
            runs.add(p);
            Map<?, ?> own = result(r.out());
            latencies.add(((Number) own.get("latency_us")).doubleValue());
            Histogram h = decode(((Map<?, ?>) own.get("rtt_us")).get("histogram"));
            if (all == null) {
                all = h;
            } else {
                all.add(h);
            }
        }
        Cli.Run merged = Cli.run("merge", runs.get(0).toString(), runs.get(1).toString(), runs.get(2).toString());
        assertEquals(0, merged.code(), merged.err());
        Map<String, Object> doc = Json.parseObject(merged.out());
        assertEquals(List.of("run0.json", "run1.json", "run2.json"), doc.get("merged_from"));
        assertEquals(3L, ((Map<?, ?>) doc.get("settings")).get("repeat"));
        Map<?, ?> r = result(merged.out());
        assertEquals(3L, r.get("sample_count"));
        List<Double> samples = ((List<?>) ((Map<?, ?>) r.get("samples")).get("latency_us")).stream()
                .map(v -> ((Number) v).doubleValue()).toList();
        assertEquals(latencies, samples, "each run's latency, in the order given");
        assertEquals(latencies.stream().sorted().toList().get(1), ((Number) r.get("latency_us")).doubleValue(), "the median run's");
        Map<?, ?> rtt = (Map<?, ?>) ((Map<?, ?>) r.get("merged")).get("rtt_us");
        Histogram m = decode(rtt.get("histogram"));
        assertEquals(all.getTotalCount(), m.getTotalCount());
        assertEquals(all.getValueAtPercentile(99) / 1e3, ((Number) rtt.get("p99")).doubleValue(), 0, "as one histogram of every round trip");
        assertEquals(all.getValueAtPercentile(50) / 1e3, ((Number) rtt.get("p50")).doubleValue(), 0);

        // merging the merge with one more run adds its sample
        Path mergedFile = dir.resolve("merged.json");
        Files.writeString(mergedFile, merged.out());
        Cli.Run again = Cli.run("merge", mergedFile.toString(), runs.get(0).toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(4L, result(again.out()).get("sample_count"));
        assertEquals(List.of("run0.json", "run1.json", "run2.json", "run0.json"), Json.parseObject(again.out()).get("merged_from"));
    }

    @Test
    void savedMatrixRunsBecomeSampledCellsThatCompareCanJudge() throws Exception {
        ScenarioTable.Column bw = new ScenarioTable.Column("tcp_bw", "bandwidth", "bit/s", true);
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        double[][] values = {{200e6, 150e6}, {201e6, 151e6}, {199e6, 149e6}};
        for (int i = 0; i < 3; i++) {
            for (int side = 0; side < 2; side++) {
                ScenarioTable t = new ScenarioTable("t", List.of(bw), List.of(new ScenarioTable.Row("node-node", "node to node", "a", "b",
                        List.of(ScenarioTable.Cell.of(values[i][side])))), "node-node");
                Path p = dir.resolve((side == 0 ? "a" : "b") + i + ".json");
                Files.writeString(p, ScenarioTableJson.format(t, "0.1.0"));
                (side == 0 ? a : b).add(p.toString());
            }
        }
        Cli.Run ma = Cli.run(merge(dir.resolve("a.json"), a));
        Cli.Run mb = Cli.run(merge(dir.resolve("b.json"), b));
        assertEquals(0, ma.code(), ma.err());
        assertEquals(0, mb.code(), mb.err());
        ScenarioTable merged = ScenarioTableJson.parse(Files.readString(dir.resolve("a.json")));
        assertEquals(List.of(200e6, 201e6, 199e6), merged.rows().get(0).cells().get(0).samples());
        assertEquals(200e6, merged.rows().get(0).cells().get(0).value());
        Cli.Run compare = Cli.run("compare", dir.resolve("a.json").toString(), dir.resolve("b.json").toString());
        assertTrue(compare.out().contains("B is 25.0 % lower (95 % CI"), compare.out());
    }

    @Test
    void mixedOrIncompleteRunsAreOneLineAndExitCodeTwo() throws Exception {
        Path table = dir.resolve("t.json");
        Files.writeString(table, ScenarioTableJson.format(new ScenarioTable("t", List.of(), List.of(), null), "0.1.0"));
        Path run = dir.resolve("r.json");
        Files.writeString(run, "{\"tool\": \"netbench\", \"complete\": false, \"error\": \"refused\", \"results\": []}");
        Cli.Run mixed = Cli.run("merge", table.toString(), run.toString());
        assertEquals(2, mixed.code());
        assertTrue(mixed.err().contains("client runs or matrix runs, not both"), mixed.err());
        Cli.Run incomplete = Cli.run("merge", run.toString(), run.toString());
        assertEquals(2, incomplete.code());
        assertEquals(1, incomplete.err().strip().lines().count(), incomplete.err());
        assertTrue(incomplete.err().contains("r.json: an incomplete run (refused)"), incomplete.err());
    }
}
