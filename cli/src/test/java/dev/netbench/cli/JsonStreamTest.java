package dev.netbench.cli;

import dev.netbench.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --json-stream on a real loopback self-test: one JSON event per line; each result as --json has it. */
class JsonStreamTest {
    @Test
    void intervalsThenEachResultThenTheWholeDocument() {
        Cli.Run r = Cli.run("client", "--tcp-bw", "--udp-lat", "-t", "1", "--warmup", "0.3", "-i", "0.25", "--json-stream", "-q");
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> events = r.out().lines().map(Json::parseObject).toList();
        List<String> kinds = events.stream().map(e -> (String) e.get("event")).toList();
        assertEquals("end", kinds.get(kinds.size() - 1), kinds.toString());
        Map<?, ?> document = (Map<?, ?>) events.get(events.size() - 1).get("data");
        List<?> results = (List<?>) document.get("results");
        List<Object> streamed = events.stream().filter(e -> e.get("event").equals("result")).map(e -> e.get("data")).toList();
        assertEquals(results, streamed, "each result event is the object --json has for that test");
        for (String test : List.of("tcp_bw", "udp_lat")) {
            List<Object> intervals = events.stream().filter(e -> e.get("event").equals("interval")).map(e -> (Map<?, ?>) e.get("data"))
                    .filter(d -> d.get("test").equals(test)).map(d -> (Object) d).toList();
            assertTrue(intervals.size() >= 4, test + ": " + intervals);
            assertTrue(intervals.stream().anyMatch(d -> Boolean.TRUE.equals(((Map<?, ?>) d).get("warmup"))), "the warm-up is marked");
            // the test's intervals all come before its result: printed as they happened
            int result = -1;
            int lastInterval = -1;
            for (int i = 0; i < events.size(); i++) {
                Map<?, ?> data = (Map<?, ?>) events.get(i).get("data");
                if (test.equals(data.get("test"))) {
                    if (events.get(i).get("event").equals("result")) {
                        result = i;
                    } else {
                        lastInterval = i;
                    }
                }
            }
            assertTrue(lastInterval >= 0 && lastInterval < result, test + ": interval " + lastInterval + ", result " + result);
        }
        Map<?, ?> bw = events.stream().filter(e -> e.get("event").equals("interval")).map(e -> (Map<?, ?>) e.get("data"))
                .filter(d -> d.get("test").equals("tcp_bw")).findFirst().orElseThrow();
        double seconds = ((Number) bw.get("end")).doubleValue() - ((Number) bw.get("start")).doubleValue();
        assertEquals(((Number) bw.get("bytes")).doubleValue() * 8 / seconds, ((Number) bw.get("bits_per_second")).doubleValue(), 1e-6 * 8e9);
    }
}
