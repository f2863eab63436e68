package dev.netbench.report.html;

import dev.netbench.json.Json;
import dev.netbench.json.JsonException;
import dev.netbench.latency.RttFigures;
import dev.netbench.report.JsonReport;
import dev.netbench.report.RunReport;
import dev.netbench.report.Units;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One client run as the report shows it, read from the client's {@code --json} document (docs/metrics.md). A live
 * run is first written as that document ({@link #of(RunReport)}), so {@code client --report} and
 * {@code netbench report result.json} draw the same report from the same figures.
 */
record ClientRun(String name, String version, String target, boolean loopback, List<Field> settings,
                 List<Field> local, List<Field> remote, List<Result> results) {

    /** A labelled value for a table of settings or identities. */
    record Field(String label, String value) {
    }

    /**
     * One test at one size: the figures the sweep charts plot (keys as in {@link #FIGURES}), the latency
     * distributions, and a one-line summary.
     */
    /**
     * {@code intervals}: a repeated test's (--repeat) 95 % confidence intervals, {@code [low, high]}, by the same keys
     * as {@code figures}; empty for a test measured once.
     */
    record Result(String test, long msgSize, long streams, boolean reverse, Map<String, Double> figures,
                  List<Distribution> distributions, String summary, Cpu localCpu, Cpu remoteCpu,
                  Map<String, List<Double>> intervals) {
        double figure(String key) {
            Double v = figures.get(key);
            return v == null ? Double.NaN : v;
        }

        /** The figure's interval bound (0 low, 1 high), NaN where there is none. */
        double interval(String key, int bound) {
            List<Double> ci = intervals.get(key);
            return ci == null || ci.get(bound) == null ? Double.NaN : ci.get(bound);
        }
    }

    /** How a loaded run's distribution is named: its idle one's name and this. */
    static final String UNDER_LOAD = " under load";

    /** A latency distribution in µs: percentile → value, ascending, 100 (the maximum) included when known. */
    record Distribution(String name, long count, double mean, Map<Double, Double> percentiles) {
        double max() {
            Double m = percentiles.get(100.0);
            return m == null ? Double.NaN : m;
        }
    }

    /** The figures read from each result, by key: what the sweep charts can plot. */
    static final List<String> FIGURES = List.of("bits_per_second", "send_bits_per_second", "lost_percent", "latency_us",
            "rtt_p50_us", "rtt_p99_us", "transactions_per_second", "transaction_p50_us", "transaction_p99_us",
            "requests_per_second", "http_latency_p50_us", "http_latency_p99_us");

    static ClientRun of(RunReport run) {
        return read(run.loopbackSelfTest() ? "loopback self-test" : run.target(), Json.parseObject(JsonReport.format(run)));
    }

    /** Reads a client document; {@code name} tells runs apart when one report shows several. */
    static ClientRun read(String name, Map<String, Object> doc) {
        Object results = doc.get("results");
        if (!(results instanceof List<?> list)) {
            throw new JsonException("results: expected an array (is this a netbench client --json document?)");
        }
        List<Field> settings = new ArrayList<>();
        Map<String, Object> s = obj(doc.get("settings"));
        settings.add(new Field("target", doc.get("target") == null ? "(none)" : str(doc.get("target"))));
        if (Boolean.TRUE.equals(doc.get("loopback_self_test"))) {
            settings.add(new Field("loopback self-test", "yes: the server ran inside the client's process"));
        }
        settings.add(new Field("measured seconds per test", plain(s.get("seconds"))));
        settings.add(new Field("warm-up seconds", plain(s.get("warmup_seconds"))));
        settings.add(new Field("parallel streams (-P)", plain(s.get("parallel"))));
        settings.add(new Field("reverse (-R)", plain(s.get("reverse"))));
        settings.add(new Field("transport", plain(s.get("transport"))));
        if (s.get("local_cpu") != null || s.get("remote_cpu") != null) {
            settings.add(new Field("CPU affinity (-T) of tcp_lat and tcp_bw", "local " + cpu(s.get("local_cpu")) + ", remote "
                    + cpu(s.get("remote_cpu"))));
        }
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            try {
                out.add(result(obj(list.get(i))));
            } catch (RuntimeException e) {
                throw new JsonException("results[" + i + "]: " + e.getMessage());
            }
        }
        return new ClientRun(name, str(doc.get("version")), str(doc.get("target")), Boolean.TRUE.equals(doc.get("loopback_self_test")),
                settings, identity(doc.get("local")), identity(doc.get("remote")), out);
    }

    private static List<Field> identity(Object o) {
        Map<String, Object> m = obj(o);
        List<Field> f = new ArrayList<>();
        if (m.isEmpty()) {
            return f;
        }
        f.add(new Field("hostname", str(m.get("hostname"))));
        f.add(new Field("netbench version", str(m.get("version"))));
        f.add(new Field("OS", str(m.get("os"))));
        f.add(new Field("kernel", str(m.get("kernel"))));
        f.add(new Field("CPU model", str(m.get("cpu_model"))));
        f.add(new Field("CPUs", plain(m.get("cpus"))));
        obj(m.get("kubernetes")).forEach((k, v) -> f.add(new Field(k, str(v))));
        return f;
    }

    private static Result result(Map<String, Object> r) {
        String test = str(r.get("test"));
        Map<String, Double> fig = new LinkedHashMap<>();
        List<Distribution> dists = new ArrayList<>();
        put(fig, "bits_per_second", r.get("bits_per_second"));
        put(fig, "send_bits_per_second", r.get("send_bits_per_second"));
        put(fig, "lost_percent", r.get("lost_percent"));
        put(fig, "latency_us", test.equals("http") ? null : r.get("latency_us"));
        put(fig, "transactions_per_second", r.get("transactions_per_second"));
        put(fig, "requests_per_second", r.get("requests_per_second"));
        put(fig, "retransmits", r.get("retransmits"));
        put(fig, "data_segs_out", r.get("data_segs_out"));
        put(fig, "bytes_per_segment", r.get("bytes_per_segment"));
        put(fig, "path_mtu", r.get("path_mtu"));
        if (r.get("rtt_us") instanceof Map) {
            Distribution d = stats("RTT", obj(r.get("rtt_us")), num(r.get("round_trips")));
            dists.add(d);
            fig.put("rtt_p50_us", d.percentiles().getOrDefault(50.0, Double.NaN));
            fig.put("rtt_p99_us", d.percentiles().getOrDefault(99.0, Double.NaN));
        }
        if (r.get("transaction_us") instanceof Map) {
            Distribution d = stats("transaction time", obj(r.get("transaction_us")), num(r.get("transactions")));
            dists.add(d);
            fig.put("transaction_p50_us", d.percentiles().getOrDefault(50.0, Double.NaN));
            fig.put("transaction_p99_us", d.percentiles().getOrDefault(99.0, Double.NaN));
            dists.add(stats("connect time", obj(r.get("connect_us")), num(r.get("transactions"))));
        }
        // --under-load: the loaded run's distribution beside the idle one (the result's own)
        Map<String, Object> loaded = obj(r.get("loaded"));
        for (String key : List.of("rtt_us", "transaction_us", "latency_us")) {
            if (loaded.get(key) instanceof Map) {
                // named as the idle run's distribution is (http's first, the latency users read)
                String idle = key.equals("rtt_us") ? "RTT" : key.equals("transaction_us") ? "transaction time" : dists.get(0).name();
                dists.add(stats(idle + UNDER_LOAD, obj(loaded.get(key)), num(loaded.get("round_trips"))));
            }
        }
        if (test.equals("http") && r.get("latency_us") instanceof Map) {
            Distribution d = phase(r.get("latency_uncorrected_us") != null ? "latency (from scheduled start)" : "latency",
                    obj(r.get("latency_us")));
            dists.add(d);
            fig.put("http_latency_p50_us", d.percentiles().getOrDefault(50.0, Double.NaN));
            fig.put("http_latency_p99_us", d.percentiles().getOrDefault(99.0, Double.NaN));
            if (r.get("connect_us") instanceof Map && Boolean.FALSE.equals(r.get("keep_alive"))) {
                dists.add(phase("connect time", obj(r.get("connect_us"))));
            }
        }
        Map<String, Object> cpu = obj(r.get("cpu"));
        Cpu loc = Cpu.of(obj(cpu.get("local")));
        Cpu rem = Cpu.of(obj(cpu.get("remote")));
        for (String cost : List.of("send_cost_s_per_gb", "recv_cost_s_per_gb", "process_send_cost_s_per_gb", "process_recv_cost_s_per_gb")) {
            if (r.containsKey(cost)) {
                fig.put(cost, num(r.get(cost)));
            }
        }
        long msgSize = (long) num(r.get("msg_size"));
        long streams = (long) num(r.get("streams"));
        return new Result(test, msgSize, streams, Boolean.TRUE.equals(r.get("reverse")), fig, dists, summary(test, fig), loc, rem,
                intervals(test, obj(r.get("ci95"))));
    }

    /** --repeat's {@code ci95}, keyed as {@link #FIGURES} are: a distribution's p99 by its chart key. */
    private static Map<String, List<Double>> intervals(String test, Map<String, Object> ci95) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        ci95.forEach((figure, v) -> {
            if (v instanceof List<?> bounds && bounds.size() == 2) {
                String key = switch (figure) {
                    case "rtt_us.p99" -> "rtt_p99_us";
                    case "transaction_us.p99" -> "transaction_p99_us";
                    case "latency_us.p99" -> "http_latency_p99_us";
                    default -> figure;
                };
                out.put(key, java.util.Arrays.asList(num(bounds.get(0)), num(bounds.get(1))));
            }
        });
        return out;
    }

    /** A stats object ({@code rtt_us}, {@code transaction_us}): its percentiles, or min/p50…/max in older documents. */
    static Distribution stats(String name, Map<String, Object> s, double count) {
        Map<Double, Double> p = new LinkedHashMap<>();
        Map<String, Object> listed = obj(s.get("percentiles"));
        if (!listed.isEmpty()) {
            listed.forEach((k, v) -> {
                try {
                    p.put(Double.parseDouble(k), num(v));
                } catch (NumberFormatException e) {
                    throw new JsonException("percentiles: \"" + k + "\" is not a percentile");
                }
            });
        } else {
            List<Double> resolvable = Double.isFinite(count) ? RttFigures.resolvable((long) count) : RttFigures.LADDER;
            Map<Double, String> keys = new LinkedHashMap<>();
            keys.put(0.0, "min");
            keys.put(50.0, "p50");
            keys.put(90.0, "p90");
            keys.put(99.0, "p99");
            keys.put(99.9, "p999");
            keys.put(100.0, "max");
            keys.forEach((q, k) -> {
                if (resolvable.contains(q)) {
                    p.put(q, num(s.get(k)));
                }
            });
        }
        return new Distribution(name, Double.isFinite(count) ? (long) count : -1, num(s.get("mean")), sorted(p));
    }

    /** An http phase object: min, ab's percentile table {@code p50 … p999 p100}. */
    static Distribution phase(String name, Map<String, Object> s) {
        Map<Double, Double> p = new LinkedHashMap<>();
        p.put(0.0, num(s.get("min")));
        s.forEach((k, v) -> {
            if (k.matches("p\\d+")) {
                double q = k.equals("p999") ? 99.9 : Double.parseDouble(k.substring(1));
                if (q <= 100) {
                    p.put(q, num(v));
                }
            }
        });
        if (!p.containsKey(100.0)) {
            p.put(100.0, num(s.get("max")));
        }
        double count = num(s.get("count"));
        return new Distribution(name, Double.isFinite(count) ? (long) count : -1, num(s.get("mean")), sorted(p));
    }

    private static Map<Double, Double> sorted(Map<Double, Double> p) {
        Map<Double, Double> out = new LinkedHashMap<>();
        p.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** One end's CPU in % of one CPU: the host's (qperf's cpus_used) and the netbench process's; NaN where unknown. */
    record Cpu(double host, double process) {
        static Cpu of(Map<String, Object> end) {
            return new Cpu(num(obj(end.get("host")).get("cpus_used_percent")), num(obj(end.get("process")).get("cpus_used_percent")));
        }
    }

    private static String summary(String test, Map<String, Double> f) {
        double nan = Double.NaN;
        return switch (test) {
            case "tcp_bw" -> AxisUnit.format(f.getOrDefault("bits_per_second", nan), "bit/s")
                    + (f.containsKey("retransmits") ? ", " + Math.round(f.get("retransmits")) + " retransmits (sender's TCP)" : "")
                    + (f.containsKey("data_segs_out") && f.containsKey("bytes_per_segment") ? ", " + Math.round(f.get("data_segs_out"))
                            + " data segments of " + Math.round(f.get("bytes_per_segment")) + " B" : "") + costs(f);
            case "udp_bw" -> "received " + AxisUnit.format(f.getOrDefault("bits_per_second", nan), "bit/s") + ", sent "
                    + AxisUnit.format(f.getOrDefault("send_bits_per_second", nan), "bit/s") + ", lost "
                    + Units.fixed3(f.getOrDefault("lost_percent", nan)) + " %" + costs(f);
            case "mtu" -> "path MTU " + Math.round(f.getOrDefault("path_mtu", nan)) + " bytes";
            case "tcp_lat", "udp_lat" -> "latency " + AxisUnit.format(f.getOrDefault("latency_us", nan), "us") + " (mean RTT / 2); RTT p50 "
                    + AxisUnit.format(f.getOrDefault("rtt_p50_us", nan), "us") + ", p99 " + AxisUnit.format(f.getOrDefault("rtt_p99_us", nan), "us");
            case "tcp_crr" -> Units.fixed3(f.getOrDefault("transactions_per_second", nan)) + " transactions/s; transaction p50 "
                    + AxisUnit.format(f.getOrDefault("transaction_p50_us", nan), "us") + ", p99 "
                    + AxisUnit.format(f.getOrDefault("transaction_p99_us", nan), "us");
            case "http" -> Units.fixed3(f.getOrDefault("requests_per_second", nan)) + " requests/s; latency p50 "
                    + AxisUnit.format(f.getOrDefault("http_latency_p50_us", nan), "us") + ", p99 "
                    + AxisUnit.format(f.getOrDefault("http_latency_p99_us", nan), "us");
            default -> "";
        };
    }

    /** qperf's costs (host-wide) and the process's, in s/GB; "n/a" where a figure was withheld. */
    private static String costs(Map<String, Double> f) {
        double nan = Double.NaN;
        return "; send_cost " + Units.fixed3(f.getOrDefault("send_cost_s_per_gb", nan)) + ", recv_cost "
                + Units.fixed3(f.getOrDefault("recv_cost_s_per_gb", nan)) + " s/GB (host-wide); process "
                + Units.fixed3(f.getOrDefault("process_send_cost_s_per_gb", nan)) + ", "
                + Units.fixed3(f.getOrDefault("process_recv_cost_s_per_gb", nan)) + " s/GB";
    }

    private static void put(Map<String, Double> fig, String key, Object v) {
        if (v != null) {
            fig.put(key, num(v));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : Map.of();
    }

    private static double num(Object o) {
        if (o == null) {
            return Double.NaN;
        }
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        throw new JsonException("expected a number, not " + o);
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    /** A setting as text: 10 → "10", 0.5 → "0.5", true → "yes", null → "". */
    private static String cpu(Object o) {
        return o == null ? "any" : "CPU " + plain(o);
    }

    private static String plain(Object o) {
        if (o instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        if (o instanceof Double d) {
            return AxisUnit.trim(d);
        }
        return o == null ? "" : String.valueOf(o);
    }
}
