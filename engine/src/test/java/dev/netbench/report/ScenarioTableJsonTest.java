package dev.netbench.report;

import dev.netbench.json.Json;
import dev.netbench.json.JsonException;
import dev.netbench.json.JsonWriter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioTableJsonTest {
    static final ScenarioTable TABLE = new ScenarioTable("Cluster matrix \"calico\"",
            List.of(new ScenarioTable.Column("tcp_bw", "TCP bandwidth", "bit/s", true),
                    new ScenarioTable.Column("tcp_lat", "TCP latency", "us", false),
                    new ScenarioTable.Column("tcp_crr", "TCP_CRR", "1/s", true)),
            List.of(new ScenarioTable.Row("node-node", "node → node", "node-a", "node-b",
                            List.of(ScenarioTable.Cell.of(9.41e9), ScenarioTable.Cell.of(23.5), ScenarioTable.Cell.of(12000))),
                    new ScenarioTable.Row("pod-pod", "pod → pod (other node)", "pod-a", null,
                            List.of(ScenarioTable.Cell.of(8.2e9), ScenarioTable.Cell.failed("connect: timed out\nafter 5 s"),
                                    ScenarioTable.Cell.of(Double.NaN))),
                    new ScenarioTable.Row("pod-svc", null, null, null,
                            List.of(ScenarioTable.Cell.of(1.5e-5), ScenarioTable.Cell.of(0.25), ScenarioTable.Cell.of(0)))),
            "node-node");

    @Test
    void roundTrips() {
        String text = ScenarioTableJson.format(TABLE, "1.2.3");
        assertEquals(TABLE, ScenarioTableJson.parse(text));
        Map<String, Object> doc = Json.parseObject(text);
        assertEquals("netbench", doc.get("tool"));
        assertEquals("1.2.3", doc.get("version"));
        assertTrue(ScenarioTableJson.isScenarioTable(doc));
    }

    @Test
    void roundTripsSampledCellsWithTheirIntervals() {
        ScenarioTable.Column bw = new ScenarioTable.Column("tcp_bw", "bandwidth", "bit/s", true);
        ScenarioTable.Column lat = new ScenarioTable.Column("tcp_lat", "latency", "us", false);
        ScenarioTable t = new ScenarioTable("t", List.of(bw, lat), List.of(new ScenarioTable.Row("s", "S", "a", "b",
                List.of(ScenarioTable.Cell.sampled(List.of(13.0, 10.0, 12.0, 14.0, 11.0)), ScenarioTable.Cell.of(5)))), null);
        String text = ScenarioTableJson.format(t, "v");
        assertEquals(t, ScenarioTableJson.parse(text));
        Map<?, ?> row = (Map<?, ?>) ((List<?>) Json.parseObject(text).get("scenarios")).get(0);
        assertEquals(12L, ((Map<?, ?>) row.get("values")).get("tcp_bw"), "the value is the samples' median");
        assertEquals(List.of(13L, 10L, 12L, 14L, 11L), ((Map<?, ?>) row.get("samples")).get("tcp_bw"));
        assertTrue(!((Map<?, ?>) row.get("samples")).containsKey("tcp_lat"), "a cell measured once has no samples");
        List<?> ci = (List<?>) ((Map<?, ?>) row.get("ci95")).get("tcp_bw");
        assertEquals(12 - 1.9632, ((Number) ci.get(0)).doubleValue(), 1e-3);
        assertEquals(12 + 1.9632, ((Number) ci.get(1)).doubleValue(), 1e-3);
    }

    @Test
    void roundTripsAnEmptyTableAndNullTitles() {
        ScenarioTable empty = new ScenarioTable(null, List.of(), List.of(), null);
        assertEquals(empty, ScenarioTableJson.parse(ScenarioTableJson.format(empty, "v")));
    }

    @Test
    void hasTheDocumentedShape() {
        Map<String, Object> doc = Json.parseObject(ScenarioTableJson.format(TABLE, "v"));
        assertEquals(List.of("tool", "version", "schema_version", "title", "baseline", "columns", "scenarios"), List.copyOf(doc.keySet()));
        assertEquals("node-node", doc.get("baseline"));
        @SuppressWarnings("unchecked")
        Map<String, Object> col = (Map<String, Object>) ((List<?>) doc.get("columns")).get(1);
        assertEquals(Map.of("key", "tcp_lat", "label", "TCP latency", "unit", "us", "higher_is_better", false), col);
        @SuppressWarnings("unchecked")
        Map<String, Object> pod = (Map<String, Object>) ((List<?>) doc.get("scenarios")).get(1);
        assertEquals("pod-pod", pod.get("scenario"));
        assertNull(pod.get("target"));
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) pod.get("values");
        assertEquals(8.2e9, ((Number) values.get("tcp_bw")).doubleValue());
        assertTrue(values.containsKey("tcp_lat"));
        assertNull(values.get("tcp_lat"), "a failed cell's value is null");
        assertNull(values.get("tcp_crr"), "NaN is null");
        assertEquals(Map.of("tcp_lat", "connect: timed out\nafter 5 s"), pod.get("errors"), "errors lists failed cells only");
    }

    @Test
    void writesIntoADocumentOfTheCallersAndReadsItBack() {
        JsonWriter w = new JsonWriter(false);
        w.beginObject(null).value("tool", "netbench").value("kind", "matrix").beginObject("settings").value("seconds", 5)
                .endObject();
        ScenarioTableJson.writeFields(w, TABLE);
        w.endObject();
        Map<String, Object> doc = Json.parseObject(w.toString());
        assertEquals("matrix", doc.get("kind"));
        assertEquals(TABLE, ScenarioTableJson.read(doc));
    }

    @Test
    void refusesDuplicateColumnKeysWhenWriting() {
        ScenarioTable dup = new ScenarioTable("t", List.of(new ScenarioTable.Column("a", "A", "", true),
                new ScenarioTable.Column("a", "A again", "", true)), List.of(), null);
        assertThrows(IllegalArgumentException.class, () -> ScenarioTableJson.format(dup, "v"));
    }

    @Test
    void toleratesAMissingErrorsObjectAndUnknownFields() {
        ScenarioTable t = ScenarioTableJson.parse("""
                {"extra": [1], "columns": [{"key": "a", "label": "A", "unit": "us", "higher_is_better": false, "x": 1}],
                 "scenarios": [{"scenario": "s", "values": {"a": 3}, "note": "n"}]}""");
        assertNull(t.title());
        assertNull(t.baseline());
        assertEquals(3.0, t.rows().get(0).cells().get(0).value());
        assertNull(t.rows().get(0).label());
    }

    @Test
    void isScenarioTableTellsAMatrixFromAClientResult() {
        assertFalse(ScenarioTableJson.isScenarioTable(Json.parseObject("{\"tool\":\"netbench\",\"results\":[]}")));
        assertFalse(ScenarioTableJson.isScenarioTable(Json.parseObject("{\"scenarios\":{},\"columns\":[]}")));
        assertTrue(ScenarioTableJson.isScenarioTable(Json.parseObject("{\"scenarios\":[],\"columns\":[]}")));
    }

    @Test
    void namesWhereMalformedInputIsWrong() {
        String col = "{\"key\": \"a\", \"label\": \"A\", \"unit\": \"us\", \"higher_is_better\": true}";
        String[][] cases = {
                {"{\"scenarios\": []}", "columns: expected an array"},
                {"{\"columns\": []}", "scenarios: expected an array"},
                {"{\"columns\": [1], \"scenarios\": []}", "columns[0]: expected an object"},
                {"{\"columns\": [{\"label\": \"A\", \"higher_is_better\": true}], \"scenarios\": []}", "columns[0].key: missing"},
                {"{\"columns\": [{\"key\": \"a\", \"higher_is_better\": 1}], \"scenarios\": []}",
                        "columns[0].higher_is_better: expected true or false"},
                {"{\"columns\": [" + col + "," + col + "], \"scenarios\": []}", "columns[1].key: \"a\" appears twice"},
                {"{\"columns\": [" + col + "], \"scenarios\": [{\"values\": {\"a\": 1}}]}", "scenarios[0].scenario: missing"},
                {"{\"columns\": [" + col + "], \"scenarios\": [{\"scenario\": \"s\"}]}", "scenarios[0].values: expected an object"},
                {"{\"columns\": [" + col + "], \"scenarios\": [{\"scenario\": \"s\", \"values\": {}}]}",
                        "scenarios[0].values.a: missing (null if there is no value)"},
                {"{\"columns\": [" + col + "], \"scenarios\": [{\"scenario\": \"s\", \"values\": {\"a\": \"1\"}}]}",
                        "scenarios[0].values.a: expected a number or null"},
                {"{\"columns\": [" + col + "], \"scenarios\": [{\"scenario\": \"s\", \"values\": {\"a\": 1, \"b\": 2}}]}",
                        "scenarios[0].values.b: no such column"},
                {"{\"columns\": [" + col + "], \"scenarios\": [{\"scenario\": \"s\", \"values\": {\"a\": null}, \"errors\": {\"b\": \"x\"}}]}",
                        "scenarios[0].errors.b: no such column"},
                {"{\"columns\": [" + col + "], \"scenarios\": [{\"scenario\": \"s\", \"values\": {\"a\": null}, \"errors\": {\"a\": 5}}]}",
                        "scenarios[0].errors.a: expected a string"},
                {"{\"columns\": [" + col + "], \"scenarios\": [{\"scenario\": \"s\", \"values\": {\"a\": 1}, \"errors\": {\"a\": \"x\"}}]}",
                        "scenarios[0].values.a: a failed cell has no value"},
                {"{\"title\": 3, \"columns\": [], \"scenarios\": []}", "title: expected a string or null"},
        };
        for (String[] c : cases) {
            JsonException e = assertThrows(JsonException.class, () -> ScenarioTableJson.parse(c[0]), c[0]);
            assertEquals(c[1], e.getMessage(), c[0]);
        }
    }
}
