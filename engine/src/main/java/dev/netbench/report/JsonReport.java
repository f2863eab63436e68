package dev.netbench.report;

import dev.netbench.confidence.Summary;
import dev.netbench.cpu.Cost;
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
            figures(w, b);
            Datagrams d = b.datagrams();
            if (d != null) {
                w.value("send_bits_per_second", d.sendBitsPerSecond())
                        .value("packets", d.sent())
                        .value("packets_received", d.received())
                        .value("lost_packets", d.lost())
                        .value("lost_percent", d.lostPercent())
                        .value("jitter_ms", d.jitterMs())
                        .value("out_of_order", d.outOfOrder())
                        .value("duplicates", d.duplicates());
                w.value("arrival_bits_per_second", d.arrivalBitsPerSecond())
                        .value("arrival_seconds", d.arrivalSeconds());
                w.beginObject("kernel_udp");
                udpErrors(w, "receiver", d.receiverKernel());
                udpErrors(w, "sender", d.senderKernel());
                w.endObject();
                w.value("recv_socket_buffer_bytes", d.receiveBuffer() < 0 ? Double.NaN : d.receiveBuffer());
            }
            if (r.test() == TestKind.TCP_BW) {
                w.value("bidir", b.bidir() != null);
            }
            if (b.bidir() != null) {
                // iperf3 --bidir: the client's sending and receiving streams apart, each with all its figures
                w.value("send_bits_per_second", b.bidir().send().bitsPerSecond())
                        .value("receive_bits_per_second", b.bidir().receive().bitsPerSecond());
                w.beginObject("send");
                figures(w, b.bidir().send());
                w.endObject();
                w.beginObject("receive");
                figures(w, b.bidir().receive());
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
            http(w, r.http());
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

    /** A bandwidth test's figures, costs, TCP_INFO, sockets and streams (not udp_bw's datagram counts). */
    private static void figures(JsonWriter w, Bandwidth b) {
        w.value("bits_per_second", b.bitsPerSecond())
                .value("bytes", b.bytes())
                .value("bytes_sent", b.bytesSent())
                .value("seconds", b.seconds())
                .value("msg_rate", b.msgRate());
        cost(w, "send", b.sendCost());
        cost(w, "recv", b.recvCost());
        if (b.senderTcp() != null) {
            senderTcp(w, b.senderTcp());
        }
        if (b.sockets() != null) {
            sockets(w, b.sockets());
        }
        w.beginArray("per_stream");
        for (Bandwidth.Stream st : b.perStream()) {
            w.beginObject(null)
                    .value("stream", st.stream())
                    .value("bits_per_second", st.bitsPerSecond())
                    .value("bytes", st.bytes())
                    .value("bytes_sent", st.bytesSent())
                    .value("seconds", st.seconds());
            if (st.senderTcp() != null) {
                senderTcp(w, st.senderTcp());
            }
            if (st.sockets() != null) {
                sockets(w, st.sockets());
            }
            w.endObject();
        }
        w.endArray();
    }

    /** The counters, or nulls and the reason they could not be read. */
    private static void udpErrors(JsonWriter w, String name, UdpErrors e) {
        w.beginObject(name)
                .value("rcvbuf_errors", e.available() ? e.rcvbufErrors() : Double.NaN)
                .value("in_errors", e.available() ? e.inErrors() : Double.NaN);
        if (!e.available()) {
            w.value("unavailable", e.unavailable());
        }
        w.endObject();
    }

    /** tcp_bw: iperf3's retransmits and the sender's TCP_INFO at END, or nulls and the reason there are none. */
    private static void senderTcp(JsonWriter w, SenderTcp tcp) {
        TcpFigures f = tcp.figures();
        if (f == null) {
            w.value("retransmits", (String) null).value("data_segs_out", (String) null).value("bytes_per_segment", (String) null)
                    .value("tcp_info", (String) null);
        } else {
            w.value("retransmits", f.retransmits())
                    .value("data_segs_out", f.dataSegsOut() < 0 ? Double.NaN : f.dataSegsOut())
                    .value("bytes_per_segment", f.bytesPerSegment());
            w.beginObject("tcp_info")
                    .value("snd_cwnd", f.sndCwnd())
                    .value("snd_mss", f.sndMss())
                    .value("pmtu", f.pmtu())
                    .value("rtt_us", f.rttUs())
                    .value("rttvar_us", f.rttvarUs())
                    .value("bytes_out", f.bytesOut() < 0 ? Double.NaN : f.bytesOut())
                    .endObject();
        }
        w.value("tcp_info_unavailable", tcp.unavailable());
    }

    /**
     * tcp_bw: the data sockets as read back at both ends; the headline five (the sender's TCP_NODELAY, -Z and congestion
     * control, the sender's SO_SNDBUF and the receiver's SO_RCVBUF), then each end's every option.
     */
    private static void sockets(JsonWriter w, SocketReadback.Ends ends) {
        SocketReadback s = ends.sender();
        SocketReadback r = ends.receiver();
        noDelay(w, s.noDelay());
        zerocopy(w, s.zerocopy());
        w.value("send_window_bytes", s.sndbuf() == null ? Double.NaN : s.sndbuf())
                .value("recv_window_bytes", r.rcvbuf() == null ? Double.NaN : r.rcvbuf())
                .value("congestion", s.congestion());
        w.beginObject("socket");
        socket(w, "sender", s);
        socket(w, "receiver", r);
        w.endObject();
    }

    /** TCP_NODELAY as read back, or null where it could not be. */
    private static void noDelay(JsonWriter w, Boolean noDelay) {
        flag(w, "nodelay", noDelay);
    }

    /** Whether the end sends with sendfile (-Z), or null where it did not say (an agent older than -Z). */
    private static void zerocopy(JsonWriter w, Boolean zerocopy) {
        flag(w, "zerocopy", zerocopy);
    }

    private static void flag(JsonWriter w, String name, Boolean value) {
        if (value != null) {
            w.value(name, value);
        } else {
            w.value(name, (String) null);
        }
    }

    private static void socket(JsonWriter w, String name, SocketReadback s) {
        w.beginObject(name);
        noDelay(w, s.noDelay());
        zerocopy(w, s.zerocopy());
        w.value("sndbuf_bytes", s.sndbuf() == null ? Double.NaN : s.sndbuf())
                .value("rcvbuf_bytes", s.rcvbuf() == null ? Double.NaN : s.rcvbuf())
                .value("congestion", s.congestion())
                .value("tos", s.tos() == null ? Double.NaN : s.tos())
                .value("mss", s.mss() == null ? Double.NaN : s.mss());
        if (s.missing() != null) {
            w.value("missing", s.missing());
        }
        w.endObject();
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

    private static void http(JsonWriter w, HttpFigures h) {
        HttpFigures.Failures f = h.failures();
        w.value("url", h.url())
                .value("server_software", h.serverSoftware())
                .value("document_length", h.documentLength())
                .value("concurrency", h.concurrency())
                .value("keep_alive", h.keepAlive())
                .value("rate", h.rate() > 0 ? h.rate() : Double.NaN)
                .value("seconds", h.seconds())
                .value("requests_per_second", h.requestsPerSecond())
                .value("complete", h.complete())
                .value("in_flight_at_end", h.inFlightAtEnd());
        w.beginObject("failed")
                .value("total", h.failed())
                .value("connect", f.connect())
                .value("receive", f.receive())
                .value("length", f.length())
                .value("exceptions", f.exceptions())
                .value("timeouts", f.timeouts())
                .endObject();
        w.value("non_2xx", h.non2xx())
                .value("keep_alive_requests", h.keepAliveRequests())
                .value("connections", h.connections())
                .value("bytes", h.bytesReceived())
                .value("body_bytes", h.bodyBytes())
                .value("time_per_request_us", h.timePerRequestUs())
                .value("time_per_request_all_us", h.timePerRequestAcrossUs())
                .value("transfer_bytes_per_second", h.bytesPerSecond())
                .value("client_cpu_us_per_request", h.cpuUsPerRequest());
        if (h.schedule() != null) {
            w.value("late", h.schedule().late()).value("missed", h.schedule().missed());
            phase(w, "lateness_us", h.schedule().lateness());
        }
        w.value("percentiles_of", "complete_requests"); // the phases below: failed and in-flight requests are not timed
        phase(w, "latency_us", h.latency());
        phase(w, "connect_us", h.connect());
        phase(w, "processing_us", h.processing());
        phase(w, "ttfb_us", h.waiting());
        phase(w, "total_us", h.total());
        if (h.corrected() != null) {
            phase(w, "latency_uncorrected_us", h.total());
        }
    }

    private static void phase(JsonWriter w, String name, HttpFigures.Phase p) {
        w.beginObject(name)
                .value("count", p.count())
                .value("min", p.min())
                .value("mean", p.mean())
                .value("sd", p.sd())
                .value("median", p.median())
                .value("max", p.max());
        p.percentiles().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e ->
                w.value(e.getKey() == 99.9 ? "p999" : "p" + e.getKey().intValue(), e.getValue()));
        w.endObject();
    }

    /** qperf's cost (host-wide), net of the baseline, the process's; a missing one is null and its reason is beside it. */
    private static void cost(JsonWriter w, String dir, Cost c) {
        w.value(dir + "_cost_s_per_gb", c.host())
                .value(dir + "_cost_net_s_per_gb", c.hostNet())
                .value("process_" + dir + "_cost_s_per_gb", c.process());
        missing(w, dir + "_cost_missing", c.hostMissing());
        missing(w, dir + "_cost_net_missing", c.netMissing());
        missing(w, "process_" + dir + "_cost_missing", c.processMissing());
    }

    private static void missing(JsonWriter w, String name, String why) {
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
