package dev.netbench.report;

import dev.netbench.confidence.Summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A repeated test's (--repeat N) headline figures, each as its N samples in the order they were measured, keyed by
 * the figure's JSON name ({@link #headline}), and what they say ({@link Summary}).
 */
public record Samples(Map<String, List<Double>> values) {

    public Samples {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        values = java.util.Collections.unmodifiableMap(copy);
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
        return new Samples(values);
    }

    /**
     * A result's headline figures by JSON name, the first the test's own (what --fail-if takes for TEST alone):
     * tcp_bw's goodput and message rate; udp_bw's goodput, loss and jitter; tcp_lat's and udp_lat's latency and RTT
     * p99; tcp_crr's transaction rate and p99; http's request rate and latency p99. NaN where one was not measured.
     */
    public static Map<String, Double> headline(TestResult r) {
        Map<String, Double> f = new LinkedHashMap<>();
        switch (r.test()) {
            case TCP_BW -> {
                f.put("bits_per_second", r.bandwidth().bitsPerSecond());
                f.put("msg_rate", r.bandwidth().msgRate());
            }
            case UDP_BW -> {
                f.put("bits_per_second", r.bandwidth().bitsPerSecond());
                Datagrams d = r.bandwidth().datagrams();
                f.put("lost_percent", d == null ? Double.NaN : d.lostPercent());
                f.put("jitter_ms", d == null ? Double.NaN : d.jitterMs());
            }
            case TCP_LAT, UDP_LAT -> {
                f.put("latency_us", r.latency().latencyUs());
                f.put("rtt_us.p99", r.latency().rtt().p99());
            }
            case TCP_CRR -> {
                f.put("transactions_per_second", r.connectRate().transactionsPerSecond());
                f.put("transaction_us.p99", r.connectRate().transaction().p99());
            }
            case HTTP -> {
                f.put("requests_per_second", r.http().requestsPerSecond());
                Double p99 = r.http().latency().percentiles().get(99.0);
                f.put("latency_us.p99", p99 == null ? Double.NaN : p99);
            }
        }
        return f;
    }
}
