package dev.netbench.report;

import dev.netbench.confidence.Summary;
import dev.netbench.json.Json;
import dev.netbench.protocol.TestKind;
import dev.netbench.latency.LatencyRecorder;
import dev.netbench.latency.RttFigures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A repeated test's (--repeat N) headline figures, each as its N samples in the order they were measured, keyed by
 * the figure's JSON name ({@link #headline}), and what they say ({@link Summary}); and its latency distributions
 * over all N runs together ({@code merged}, by JSON name: {@code rtt_us}, tcp_crr's {@code transaction_us} and
 * {@code connect_us}), merged from the runs' histograms, so their percentiles are those of every sample.
 */
public record Samples(Map<String, List<Double>> values, Map<String, RttFigures> merged) {

    public Samples {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        values = java.util.Collections.unmodifiableMap(copy);
        merged = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(merged));
    }

    /** How many times the test was measured. */
    public int count() {
        return values.values().stream().mapToInt(List::size).max().orElse(0);
    }

    public Summary summary(String figure) {
        return Summary.of(values.get(figure));
    }

    /** The samples of {@code runs} (one test measured again and again), each headline figure's in order. */
    public static Samples of(List<TestResult> runs) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (TestResult r : runs) {
            headline(r).forEach((k, v) -> values.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        Map<String, RttFigures> merged = new LinkedHashMap<>();
        if (runs.get(0).latency() != null) {
            merge(merged, "rtt_us", runs.stream().map(r -> r.latency().rtt()).toList());
        }
        if (runs.get(0).connectRate() != null) {
            merge(merged, "transaction_us", runs.stream().map(r -> r.connectRate().transaction()).toList());
            merge(merged, "connect_us", runs.stream().map(r -> r.connectRate().connect()).toList());
        }
        return new Samples(values, merged);
    }

    /**
     * Which of the runs whose headline figures are {@code values} (one a run, in order) is the median run: the middle
     * one by value, the lower of the two middle ones for an even count, a NaN (not measured) counted above every value.
     */
    public static int medianRun(List<Double> values) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            order.add(i);
        }
        order.sort(java.util.Comparator.comparingDouble(i -> Double.isNaN(values.get(i)) ? Double.POSITIVE_INFINITY : values.get(i)));
        return order.get((order.size() - 1) / 2);
    }

    /** A distribution of every run, where each run carries its histogram. */
    private static void merge(Map<String, RttFigures> into, String name, List<RttFigures> runs) {
        RttFigures all = LatencyRecorder.merge(runs);
        if (all != null) {
            into.put(name, all);
        }
    }

    /**
     * The headline figures of a result of {@code test} by JSON name (dotted into an object: {@code rtt_us.p99}), the
     * first the test's own (what --fail-if takes for TEST alone): tcp_bw's goodput and message rate; udp_bw's
     * goodput, loss and jitter; tcp_lat's and udp_lat's latency and RTT p99; tcp_crr's transaction rate and p99;
     * http's request rate and latency p99; mtu's path MTU.
     */
    public static List<String> names(TestKind test) {
        return switch (test) {
            case TCP_BW -> List.of("bits_per_second", "msg_rate");
            case UDP_BW -> List.of("bits_per_second", "lost_percent", "jitter_ms");
            case TCP_LAT, UDP_LAT -> List.of("latency_us", "rtt_us.p99");
            case TCP_CRR -> List.of("transactions_per_second", "transaction_us.p99");
            case HTTP -> List.of("requests_per_second", "latency_us.p99");
            case MTU -> List.of("path_mtu");
        };
    }

    /** A result's headline figures ({@link #names}), read from its JSON object as --json writes it; NaN where not measured. */
    public static Map<String, Double> headline(TestResult r) {
        return headline(r.test(), Json.parseObject(JsonReport.result(r)));
    }

    /** The headline figures of a result's parsed JSON object; NaN where one is null or absent. */
    public static Map<String, Double> headline(TestKind test, Map<?, ?> result) {
        Map<String, Double> f = new LinkedHashMap<>();
        for (String name : names(test)) {
            Object at = result;
            for (String key : name.split("\\.")) {
                at = at instanceof Map<?, ?> m ? m.get(key) : null;
            }
            f.put(name, at instanceof Number n ? n.doubleValue() : Double.NaN);
        }
        return f;
    }
}
