package dev.netbench.report;

import dev.netbench.json.JsonException;
import dev.netbench.json.JsonWriter;
import dev.netbench.latency.LatencyRecorder;
import dev.netbench.latency.RttFigures;
import dev.netbench.protocol.TestKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code netbench merge}: saved client runs (client --json) of one plan as one run measured again and again, as
 * --repeat measures it: each test (test, message size, streams, direction) becomes its median run's result, with
 * every run's headline figures as its samples (a run that was itself repeated gives all of its samples) and its
 * latency distributions merged from the runs' histograms. The merged document is a client document: report draws
 * it, and merging it again with more runs adds their samples.
 */
public final class SavedRuns {
    /** What --repeat adds to a result, and what merging rebuilds rather than copies. */
    private static final Set<String> SAMPLE_FIELDS = Set.of("sample_count", "samples", "ci95", "sample_summary", "merged");
    private static final List<String> DISTRIBUTIONS = List.of("rtt_us", "transaction_us", "connect_us");

    private SavedRuns() {
    }

    /**
     * The runs {@code docs} (parsed client documents, named {@code names}) as one document. A document that is not a
     * client run, or an incomplete one, is a {@link JsonException} naming it.
     */
    public static String merge(List<Map<String, Object>> docs, List<String> names) {
        Map<String, List<Map<?, ?>>> tests = new LinkedHashMap<>();
        for (int i = 0; i < docs.size(); i++) {
            Map<String, Object> doc = docs.get(i);
            if (!(doc.get("results") instanceof List<?> results)) {
                throw new JsonException(names.get(i) + ": not a client run (no results array)");
            }
            if (!Boolean.TRUE.equals(doc.get("complete"))) {
                throw new JsonException(names.get(i) + ": an incomplete run (" + doc.get("error") + ")");
            }
            for (Object o : results) {
                if (!(o instanceof Map<?, ?> r) || TestKind.of(String.valueOf(r.get("test"))).isEmpty()) {
                    throw new JsonException(names.get(i) + ": a result that is no test's");
                }
                String key = r.get("test") + "|" + r.get("msg_size") + "|" + r.get("streams") + "|" + r.get("reverse");
                tests.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, Object> first = docs.get(0);
        JsonWriter w = new JsonWriter(true).beginObject(null);
        int samples = 0;
        for (List<Map<?, ?>> runs : tests.values()) {
            samples = Math.max(samples, runs.stream().mapToInt(SavedRuns::sampleCount).sum());
        }
        for (Map.Entry<String, Object> e : first.entrySet()) {
            if (e.getKey().equals("settings") && e.getValue() instanceof Map<?, ?> settings) {
                Map<Object, Object> s = new LinkedHashMap<>(settings);
                s.put("repeat", (long) samples);
                w.parsed("settings", s);
            } else if (!e.getKey().equals("results") && !e.getKey().equals("calibration") && !e.getKey().equals("merged_from")) {
                w.parsed(e.getKey(), e.getValue());
            }
        }
        // the files merged; a document merged before stands for the files it was merged from
        w.beginArray("merged_from");
        for (int i = 0; i < docs.size(); i++) {
            if (docs.get(i).get("merged_from") instanceof List<?> before) {
                before.forEach(n -> w.value(null, String.valueOf(n)));
            } else {
                w.value(null, names.get(i));
            }
        }
        w.endArray().beginArray("results");
        for (List<Map<?, ?>> runs : tests.values()) {
            result(w, runs);
        }
        return w.endArray().endObject() + "\n";
    }

    /** One test's runs as one result: the median run's fields, every run's samples, the distributions merged. */
    private static void result(JsonWriter w, List<Map<?, ?>> runs) {
        TestKind test = TestKind.of(String.valueOf(runs.get(0).get("test"))).orElseThrow();
        List<String> names = Samples.names(test);
        Map<String, List<Double>> values = new LinkedHashMap<>();
        List<Double> headlines = new ArrayList<>(); // each run's own headline figure (a repeated run's: its median run's)
        for (Map<?, ?> run : runs) {
            Map<String, Double> own = Samples.headline(test, run);
            headlines.add(own.get(names.get(0)));
            for (String name : names) {
                List<Double> samples = values.computeIfAbsent(name, k -> new ArrayList<>());
                Object repeated = run.get("samples") instanceof Map<?, ?> s ? s.get(name) : null;
                if (repeated instanceof List<?> l) {
                    l.forEach(v -> samples.add(v instanceof Number n ? n.doubleValue() : Double.NaN));
                } else {
                    samples.add(own.get(name));
                }
            }
        }
        Map<String, RttFigures> merged = new LinkedHashMap<>();
        for (String name : DISTRIBUTIONS) {
            List<RttFigures> parts = new ArrayList<>();
            for (Map<?, ?> run : runs) {
                // a repeated run's own merge covers all of its runs; a run measured once, its distribution
                Object d = run.get("merged") instanceof Map<?, ?> m && m.get(name) != null ? m.get(name) : run.get(name);
                if (d instanceof Map<?, ?> dist) {
                    parts.add(distribution(dist));
                }
            }
            RttFigures all = parts.size() == runs.size() ? LatencyRecorder.merge(parts) : null;
            if (all != null && all.count() > 0) {
                merged.put(name, all);
            }
        }
        Map<?, ?> median = runs.get(Samples.medianRun(headlines));
        w.beginObject(null);
        median.forEach((k, v) -> {
            if (!SAMPLE_FIELDS.contains(String.valueOf(k))) {
                w.parsed(String.valueOf(k), v);
            }
        });
        JsonReport.samples(w, new Samples(values, merged));
        w.endObject();
    }

    private static int sampleCount(Map<?, ?> run) {
        return run.get("sample_count") instanceof Number n ? n.intValue() : 1;
    }

    /**
     * What merging needs of a distribution object: its exact mean and its histogram (which holds its count); a count
     * of 1 stands for "some samples" where there is no histogram, so that such a run makes the merge impossible.
     */
    private static RttFigures distribution(Map<?, ?> d) {
        double mean = d.get("mean") instanceof Number n ? n.doubleValue() : Double.NaN;
        String histogram = d.get("histogram") instanceof String s ? s : null;
        return new RttFigures(histogram == null ? 1 : 0, Double.NaN, mean, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Map.of(), histogram);
    }
}
