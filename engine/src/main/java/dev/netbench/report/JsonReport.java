package dev.netbench.report;

import dev.netbench.confidence.Summary;
import dev.netbench.cpu.CpuUsage;
import dev.netbench.json.JsonWriter;
import dev.netbench.host.Identity;
import dev.netbench.latency.RttFigures;
import dev.netbench.protocol.TestKind;

/** The --json document; field names and meanings are listed in docs/metrics.md. */
public final class JsonReport {
    /**
     * The version of the shape of every JSON document netbench writes (--json, the matrix's, saved runs); what
     * bumps it is in docs/metrics.md. iperf3's shapes (--json-iperf3) are iperf3's and carry none.
     */
    public static final int SCHEMA_VERSION = 1;

    private JsonReport() {
    }

    public static String format(RunReport run) {
        return format(run, true);
    }

    private static String format(RunReport run, boolean pretty) {
        JsonWriter w = new JsonWriter(pretty);
        w.beginObject(null)
                .value("tool", "netbench")
                .value("version", run.version())
                .value("schema_version", SCHEMA_VERSION)
                .value("target", run.target())
                .value("loopback_self_test", run.loopbackSelfTest())
                .value("complete", run.complete());
        if (!run.complete()) {
            w.value("error", run.error());
        }
        RunReport.Settings s = run.settings();
        w.beginObject("settings")
                .value("seconds", s.seconds())
                .value("warmup_seconds", s.warmupSeconds())
                .value("parallel", s.parallel())
                .value("reverse", s.reverse())
                .value("transport", s.transport())
                .value("local_cpu", s.localCpu() >= 0 ? s.localCpu() : Double.NaN)
                .value("remote_cpu", s.remoteCpu() >= 0 ? s.remoteCpu() : Double.NaN)
                .value("repeat", s.repeat())
                .endObject();
        identity(w, "local", run.local());
        identity(w, "remote", run.remote());
        RunReport.Calibration c = run.calibration();
        if (c != null) {
            w.beginObject("calibration")
                    .value("same_cpu_latency_us", c.sameCpuLatencyUs())
                    .value("cross_cpu_latency_us", c.crossCpuLatencyUs())
                    .value("cpu_a", c.cpuA())
                    .value("cpu_b", c.cpuB() >= 0 ? c.cpuB() : Double.NaN)
                    .endObject();
        }
        w.beginArray("results");
        for (TestResult r : run.results()) {
            result(w, r);
        }
        if (run.partial() != null) {
            Partial p = run.partial();
            w.beginObject(null)
                    .value("test", p.test().wireName())
                    .value("msg_size", p.msgSize())
                    .value("streams", p.streams())
                    .value("reverse", p.reverse())
                    .value("partial", true)
                    .value("error", p.error());
            w.beginObject("progress")
                    .value("seconds", p.seconds())
                    .value("bytes", p.bytes())
                    .value("messages", p.messages())
                    .endObject();
            w.endObject();
        }
        w.endArray().endObject();
        return w + "\n";
    }

    private static void identity(JsonWriter w, String name, Identity id) {
        if (id == null) {
            return;
        }
        w.beginObject(name)
                .value("hostname", id.hostname())
                .value("version", id.version())
                .value("os", id.os())
                .value("kernel", id.kernel())
                .value("cpu_model", id.cpuModel())
                .value("cpus", id.cpus());
        w.beginObject("kubernetes");
        id.kubernetes().forEach((k, v) -> w.value(k.toLowerCase(java.util.Locale.ROOT), v));
        w.endObject().endObject();
    }

    /**
     * --json-stream's events, one compact JSON object per line, as iperf3 3.17's: {@code {"event": "interval" or
     * "result" or "end", "data": ...}}. A result's data is the object --json has for it in {@code results}; the end's
     * data is the whole --json document.
     */
    public static String event(Interval i) {
        JsonWriter w = new JsonWriter(false).beginObject(null).value("event", "interval").beginObject("data")
                .value("test", i.test().wireName())
                .value("start", i.start())
                .value("end", i.end())
                .value("seconds", i.seconds())
                .value("warmup", i.warmup());
        if (i.bytes() != null) {
            w.value("bytes", i.bytes()).value("bits_per_second", i.bytes() * 8 / i.seconds());
        }
        if (i.retransmits() != null) {
            w.value("retransmits", i.retransmits()).value("snd_cwnd_bytes", i.cwndBytes());
        }
        if (i.expected() != null) {
            w.value("lost_packets", i.lost()).value("packets", i.expected())
                    .value("lost_percent", i.expected() > 0 ? 100.0 * i.lost() / i.expected() : 0).value("jitter_ms", i.jitterMs());
        }
        if (i.messages() != null) {
            boolean crr = i.test() == TestKind.TCP_CRR;
            w.value(crr ? "transactions" : "messages", i.messages())
                    .value(crr ? "transactions_per_second" : "msg_rate", i.messages() / i.seconds());
        }
        if (i.latencyUs() != null) {
            w.value("latency_us", i.latencyUs());
        }
        if (i.p50Us() != null) {
            w.beginObject(i.test() == TestKind.TCP_CRR ? "transaction_us" : "rtt_us").value("p50", i.p50Us()).value("p99", i.p99Us())
                    .endObject();
        }
        if (i.loadBytes() != null) {
            w.value("load_bits_per_second", i.loadBytes() * 8 / i.seconds());
        }
        return w.endObject().endObject() + "\n";
    }

    /** One result's object, as --json has it in {@code results}, on one line. */
    public static String result(TestResult r) {
        JsonWriter w = new JsonWriter(false).beginObject(null);
        fields(w, r);
        return w.endObject().toString();
    }

    /** The --json-stream event of a finished test. */
    public static String event(TestResult r) {
        return "{\"event\":\"result\",\"data\":" + result(r) + "}\n";
    }

    /** The --json-stream event that ends a run: the whole --json document, on one line. */
    public static String endEvent(RunReport run) {
        return "{\"event\":\"end\",\"data\":" + format(run, false).strip() + "}\n";
    }

    private static void result(JsonWriter w, TestResult r) {
        w.beginObject(null);
        fields(w, r);
        w.endObject();
    }

    private static void fields(JsonWriter w, TestResult r) {
        w.value("test", r.test().wireName())
                .value("msg_size", r.msgSize())
                .value("streams", r.streams())
                .value("reverse", r.reverse())
                .value("partial", false);
        if (r.bandwidth() != null) {
            Bandwidth b = r.bandwidth();
            BandwidthJson.figures(w, b);
            if (b.datagrams() != null) {
                BandwidthJson.datagrams(w, b.datagrams());
            }
            if (r.test() == TestKind.TCP_BW) {
                w.value("bidir", b.bidir() != null);
            }
            if (b.bidir() != null) {
                // iperf3 --bidir: the client's sending and receiving streams apart, each with all its figures
                w.value("send_bits_per_second", b.bidir().send().bitsPerSecond())
                        .value("receive_bits_per_second", b.bidir().receive().bitsPerSecond());
                w.beginObject("send");
                BandwidthJson.figures(w, b.bidir().send());
                w.endObject();
                w.beginObject("receive");
                BandwidthJson.figures(w, b.bidir().receive());
                w.endObject();
            }
        }
        if (r.latency() != null) {
            Latency l = r.latency();
            RttFigures rtt = l.rtt();
            w.value("latency_us", l.latencyUs())
                    .value("msg_rate", l.msgRate())
                    .value("round_trips", l.roundTrips())
                    .value("seconds", l.seconds());
            if (r.test() == TestKind.UDP_LAT) {
                w.value("lost_packets", l.lost());
            }
            if (l.io() != null) {
                w.value("io", l.io());
            }
            stats(w, "rtt_us", rtt);
        }
        if (r.http() != null) {
            HttpJson.write(w, r.http());
        }
        if (r.connectRate() != null) {
            ConnectRate c = r.connectRate();
            w.value("transactions_per_second", c.transactionsPerSecond())
                    .value("transactions", c.transactions())
                    .value("failed", c.failed())
                    .value("seconds", c.seconds());
            stats(w, "connect_us", c.connect());
            stats(w, "transaction_us", c.transaction());
        }
        if (r.mtu() != null) {
            PathMtu m = r.mtu();
            w.value("path_mtu", m.pathMtu())
                    .value("family", m.family())
                    .value("payload_bytes", m.pathMtu() - m.headerBytes())
                    .value("header_bytes", m.headerBytes())
                    .beginObject("interface_mtu")
                    .value("local", m.localInterfaceMtu() < 0 ? Double.NaN : m.localInterfaceMtu())
                    .value("remote", m.remoteInterfaceMtu() < 0 ? Double.NaN : m.remoteInterfaceMtu())
                    .endObject()
                    .value("limit", m.limit())
                    .value("black_hole", m.blackHole() == null ? Double.NaN : m.blackHole())
                    .value("probes", m.probes())
                    .value("lost_probes", m.lostProbes())
                    .value("agent_dont_fragment", m.agentDontFragment())
                    .value("tcp_snd_mss", m.tcpSndMss() < 0 ? Double.NaN : m.tcpSndMss())
                    .value("tcp_pmtu", m.tcpPmtu() < 0 ? Double.NaN : m.tcpPmtu());
        }
        if (r.underLoad() != null) {
            underLoad(w, r.test() == TestKind.TCP_CRR ? "transaction_us" : r.test() == TestKind.HTTP ? "latency_us" : "rtt_us",
                    r.underLoad());
        }
        if (r.samples() != null) {
            samples(w, r.samples());
        }
        w.beginObject("cpu");
        cpu(w, "local", r.localCpu());
        if (r.remoteCpu() != null) {
            cpu(w, "remote", r.remoteCpu());
        }
        w.endObject();
    }

    /**
     * --repeat: each headline figure's samples in the order measured, the 95 % confidence interval of their mean, and
     * their median, min, max and mean; the latency distributions of all runs together; the result's own fields are its
     * median run's.
     */
    static void samples(JsonWriter w, Samples s) {
        w.value("sample_count", s.count());
        w.beginObject("samples");
        s.values().forEach((figure, values) -> {
            w.beginArray(figure);
            values.forEach(v -> w.value(null, v));
            w.endArray();
        });
        w.endObject().beginObject("ci95");
        s.values().keySet().forEach(figure -> {
            Summary m = s.summary(figure);
            w.beginArray(figure).value(null, m.ci95Low()).value(null, m.ci95High()).endArray();
        });
        w.endObject().beginObject("sample_summary");
        s.values().keySet().forEach(figure -> {
            Summary m = s.summary(figure);
            w.beginObject(figure)
                    .value("n", m.n())
                    .value("median", m.median())
                    .value("min", m.min())
                    .value("max", m.max())
                    .value("mean", m.mean())
                    .endObject();
        });
        w.endObject();
        if (!s.merged().isEmpty()) {
            w.beginObject("merged");
            s.merged().forEach((name, figures) -> stats(w, name, figures));
            w.endObject();
        }
    }

    /**
     * --under-load: the round trips idle and loaded, each with its responsiveness; the loaded run's RPM and the
     * load's goodput beside them, loaded over idle at each percentile, and what the load was.
     */
    private static void underLoad(JsonWriter w, String distribution, UnderLoad u) {
        w.beginObject("idle");
        stats(w, distribution, u.idle());
        w.value("rpm", u.idleRpm()).endObject();
        w.beginObject("loaded");
        stats(w, distribution, u.loaded());
        w.value("round_trips", u.loadedRoundTrips()).value("rpm", u.rpm()).endObject();
        w.value("rpm", u.rpm()).value("load_bits_per_second", u.loadBitsPerSecond());
        w.beginObject("loaded_over_idle")
                .value("p50", UnderLoad.ratio(u.loaded().p50(), u.idle().p50()))
                .value("p90", UnderLoad.ratio(u.loaded().p90(), u.idle().p90()))
                .value("p99", UnderLoad.ratio(u.loaded().p99(), u.idle().p99()))
                .value("p999", UnderLoad.ratio(u.loaded().p999(), u.idle().p999()))
                .endObject();
        Bandwidth.Bidir both = u.load().bidir();
        w.beginObject("load")
                .value("streams", u.streams())
                .value("direction", u.direction())
                .value("bits_per_second", u.loadBitsPerSecond())
                .value("up_bits_per_second", both != null ? both.send().bitsPerSecond()
                        : u.direction().equals("up") ? u.loadBitsPerSecond() : Double.NaN)
                .value("down_bits_per_second", both != null ? both.receive().bitsPerSecond()
                        : u.direction().equals("down") ? u.loadBitsPerSecond() : Double.NaN)
                .endObject();
    }

    static void stats(JsonWriter w, String name, RttFigures s) {
        w.beginObject(name)
                .value("min", s.min())
                .value("mean", s.mean())
                .value("p50", s.p50())
                .value("p90", s.p90())
                .value("p99", s.p99())
                .value("p999", s.p999())
                .value("max", s.max());
        w.beginObject("percentiles");
        s.percentiles().forEach((p, v) -> w.value(percentileKey(p), v));
        w.endObject();
        if (s.histogram() != null) {
            w.value("histogram", s.histogram());
        }
        w.endObject();
    }

    /** 50.0 → "50", 99.975 → "99.975": the key of a percentile in a {@code percentiles} object. */
    public static String percentileKey(double p) {
        return java.math.BigDecimal.valueOf(p).stripTrailingZeros().toPlainString();
    }

    static void missing(JsonWriter w, String name, String why) {
        if (why != null) {
            w.value(name, why);
        }
    }

    private static void cpu(JsonWriter w, String name, CpuUsage c) {
        w.beginObject(name).value("wall_seconds", c.wallSeconds());
        w.beginObject("process");
        if (c.process() != null) {
            w.value("user_s", c.process().user())
                    .value("system_s", c.process().system())
                    .value("compiler_s", c.compilerSeconds())
                    .value("compiler_significant", c.compilerSignificant());
        }
        w.value("cpus_used_percent", c.processCpusUsed());
        missing(w, "missing", c.processMissing());
        w.endObject();
        w.beginObject("host");
        if (c.host() != null) {
            w.value("user_s", c.host().user())
                    .value("system_s", c.host().system())
                    .value("irq_s", c.host().irq())
                    .value("softirq_s", c.host().softirq())
                    .value("steal_s", c.host().steal())
                    .value("idle_s", c.host().idle())
                    .value("iowait_s", c.host().iowait());
            if (c.softirqs() != null) {
                w.value("net_rx_softirqs", c.softirqs().netRx()).value("net_tx_softirqs", c.softirqs().netTx());
            }
        }
        w.value("cpus_used_percent", c.hostCpusUsed())
                .value("cpus_used_net_percent", c.hostCpusUsedNet());
        missing(w, "missing", c.hostMissing());
        if (c.baseline() != null) {
            w.beginObject("baseline")
                    .value("seconds", c.baseline().wallSeconds())
                    .value("cpus_used_percent", c.baseline().cpusUsed())
                    .endObject();
        } else {
            missing(w, "baseline_missing", c.baselineMissing());
        }
        w.endObject();
        w.endObject();
    }
}
