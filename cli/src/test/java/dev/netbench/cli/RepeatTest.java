package dev.netbench.cli;

import dev.netbench.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --repeat on real loopback self-tests: interleaved runs, the median run reported, every run's samples beside it. */
class RepeatTest {
    @Test
    void everyTestIsMeasuredNTimesInterleavedAndReportedAsItsMedianRun() {
        Cli.Run r = Cli.run("client", "--tcp-lat", "--tcp-bw", "--msg", "1K", "-t", "0.3", "--warmup", "0.1", "--repeat", "3", "--json");
        assertEquals(0, r.code(), r.err());
        // the whole plan over and over: tcp_bw, tcp_lat, tcp_bw, tcp_lat, ...
        List<String> started = r.err().lines().filter(l -> l.startsWith("[")).toList();
        assertEquals(List.of(
                "[1/6] tcp_bw msg 1 KiB (sample 1 of 3)", "[2/6] tcp_lat msg 1 KiB (sample 1 of 3)",
                "[3/6] tcp_bw msg 1 KiB (sample 2 of 3)", "[4/6] tcp_lat msg 1 KiB (sample 2 of 3)",
                "[5/6] tcp_bw msg 1 KiB (sample 3 of 3)", "[6/6] tcp_lat msg 1 KiB (sample 3 of 3)"), started);
        Map<String, Object> doc = Json.parseObject(r.out());
        assertEquals(3L, ((Map<?, ?>) doc.get("settings")).get("repeat"));
        List<?> results = (List<?>) doc.get("results");
        assertEquals(2, results.size(), "one result per test");
        for (Object o : results) {
            Map<?, ?> result = (Map<?, ?>) o;
            String headline = result.get("test").equals("tcp_bw") ? "bits_per_second" : "latency_us";
            assertEquals(3L, result.get("sample_count"));
            List<Double> samples = ((List<?>) ((Map<?, ?>) result.get("samples")).get(headline)).stream()
                    .map(v -> ((Number) v).doubleValue()).toList();
            assertEquals(3, samples.size());
            double reported = ((Number) result.get(headline)).doubleValue();
            assertEquals(samples.stream().sorted().toList().get(1), reported, "the reported run is the median sample: " + samples);
            double mean = samples.stream().mapToDouble(Double::doubleValue).sum() / 3;
            List<?> ci = (List<?>) ((Map<?, ?>) result.get("ci95")).get(headline);
            double low = ((Number) ci.get(0)).doubleValue();
            double high = ((Number) ci.get(1)).doubleValue();
            assertEquals(mean, (low + high) / 2, 1e-9 * mean, "the interval is centred on the mean");
            Map<?, ?> summary = (Map<?, ?>) ((Map<?, ?>) result.get("sample_summary")).get(headline);
            assertEquals(reported, ((Number) summary.get("median")).doubleValue());
            assertEquals(samples.stream().min(Double::compare).orElseThrow(), ((Number) summary.get("min")).doubleValue());
        }
    }

    @Test
    void streamedResultsComeOncePerTestAfterItsLastRun() {
        Cli.Run r = Cli.run("client", "--tcp-lat", "-t", "0.2", "--warmup", "0", "--repeat", "2", "--json-stream", "-q");
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> events = r.out().lines().map(Json::parseObject).toList();
        List<Object> streamed = events.stream().filter(e -> e.get("event").equals("result")).map(e -> e.get("data")).toList();
        Map<?, ?> document = (Map<?, ?>) events.get(events.size() - 1).get("data");
        assertEquals(document.get("results"), streamed);
        assertEquals(2L, ((Map<?, ?>) streamed.get(0)).get("sample_count"));
    }

    @Test
    void aBadRepeatIsOneLineAndExitCodeTwo() {
        for (String[] args : List.of(new String[] {"client", "--tcp-lat", "--repeat", "0"},
                new String[] {"client", "--tcp-lat", "--repeat", "1001"},
                new String[] {"client", "--iperf3", "127.0.0.1", "--repeat", "2"},
                new String[] {"client", "--tcp-bw", "--json-iperf3", "--repeat", "2"})) {
            Cli.Run r = Cli.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("--repeat"), r.err());
            assertEquals("", r.out());
        }
    }
}
