package dev.netbench.report;

import dev.netbench.confidence.Summary;
import dev.netbench.protocol.TestKind;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** --csv: one row per test and message size, raw numbers in base units (bits/s, bytes, seconds, microseconds). */
public final class CsvReport {
    static final List<String> COLUMNS = List.of("test", "msg_size", "streams", "reverse", "bits_per_second", "bytes",
            "bytes_sent", "seconds", "msg_rate", "send_cost_s_per_gb", "recv_cost_s_per_gb", "send_cost_net_s_per_gb",
            "recv_cost_net_s_per_gb", "process_send_cost_s_per_gb", "process_recv_cost_s_per_gb", "latency_us", "rtt_p50_us",
            "rtt_p90_us", "rtt_p99_us", "rtt_p999_us", "rtt_max_us", "loc_cpus_used_percent", "rem_cpus_used_percent",
            "loc_cpus_used_net_percent", "rem_cpus_used_net_percent", "loc_process_cpus_used_percent",
            "rem_process_cpus_used_percent", "requests_per_second", "http_failed",
            "http_latency_p50_us", "http_latency_p99_us", "send_bits_per_second", "packets", "lost_packets", "lost_percent",
            "jitter_ms", "out_of_order", "duplicates", "transactions_per_second", "crr_transactions", "crr_failed",
            "crr_connect_p50_us", "crr_connect_p99_us", "crr_transaction_p50_us", "crr_transaction_p99_us",
            "arrival_bits_per_second", "recv_rcvbuf_errors", "recv_in_errors", "send_rcvbuf_errors", "send_in_errors",
            "recv_socket_buffer_bytes", "retransmits", "snd_cwnd", "snd_mss", "pmtu", "tcp_rtt_us", "tcp_rttvar_us",
            "data_segs_out", "bytes_per_segment", "sender_nodelay", "receiver_nodelay", "sender_zerocopy",
            "send_window_bytes", "recv_window_bytes", "sender_congestion", "receiver_congestion", "sender_tos", "receiver_tos",
            "bidir", "receive_bits_per_second", "partial", "io", "samples", "sample_median", "ci95_low", "ci95_high",
            "loaded_rtt_p50_us", "loaded_rtt_p90_us", "loaded_rtt_p99_us", "loaded_rtt_p999_us", "idle_rpm", "rpm",
            "load_bits_per_second", "load_direction", "load_streams", "path_mtu", "mtu_limit", "black_hole",
            "send_socket_buffer_bytes", "gso_segments", "datagrams_per_send", "gro", "recvmmsg");

    private CsvReport() {
    }

    public static String format(RunReport run) {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (TestResult r : run.results()) {
            Bandwidth b = r.bandwidth();
            Latency l = r.latency();
            HttpFigures h = r.http();
            Datagrams d = b != null ? b.datagrams() : null;
            Bandwidth.Bidir bi = b != null ? b.bidir() : null;
            ConnectRate c = r.connectRate();
            UnderLoad u = r.underLoad();
            TcpFigures t = b != null && b.senderTcp() != null ? b.senderTcp().figures() : null;
            SocketReadback ss = b != null && b.sockets() != null ? b.sockets().sender() : null;
            SocketReadback rs = b != null && b.sockets() != null ? b.sockets().receiver() : null;
            // --repeat: the headline figure's (the first of the samples) median and interval
            Summary headline = r.samples() != null ? r.samples().summary(r.samples().values().keySet().iterator().next()) : null;
            double seconds = b != null ? b.seconds() : l != null ? l.seconds() : h != null ? h.seconds() : c != null ? c.seconds() : Double.NaN;
            double msgRate = b != null ? b.msgRate() : l != null ? l.msgRate() : Double.NaN;
            List<Object> row = Arrays.asList(r.test().wireName(), r.msgSize(), r.streams(), r.reverse(),
                    b != null ? b.bitsPerSecond() : "", b != null ? b.bytes() : "", b != null ? b.bytesSent() : "",
                    seconds, msgRate,
                    b != null ? b.sendCost().host() : "", b != null ? b.recvCost().host() : "",
                    b != null ? b.sendCost().hostNet() : "", b != null ? b.recvCost().hostNet() : "",
                    b != null ? b.sendCost().process() : "", b != null ? b.recvCost().process() : "",
                    l != null ? l.latencyUs() : "", l != null ? l.rtt().p50() : "", l != null ? l.rtt().p90() : "",
                    l != null ? l.rtt().p99() : "", l != null ? l.rtt().p999() : "", l != null ? l.rtt().max() : "",
                    r.localCpu().hostCpusUsed(), r.remoteCpu() != null ? r.remoteCpu().hostCpusUsed() : "",
                    r.localCpu().hostCpusUsedNet(), r.remoteCpu() != null ? r.remoteCpu().hostCpusUsedNet() : "",
                    r.localCpu().processCpusUsed(), r.remoteCpu() != null ? r.remoteCpu().processCpusUsed() : "",
                    h != null ? h.requestsPerSecond() : "", h != null ? h.failed() : "",
                    h != null ? h.latency().percentiles().get(50.0) : "", h != null ? h.latency().percentiles().get(99.0) : "",
                    d != null ? d.sendBitsPerSecond() : bi != null ? bi.send().bitsPerSecond() : "", d != null ? d.sent() : "",
                    d != null ? d.lost() : r.test() == TestKind.UDP_LAT ? l.lost() : "", d != null ? d.lostPercent() : "",
                    d != null ? d.jitterMs() : "", d != null ? d.outOfOrder() : "", d != null ? d.duplicates() : "",
                    c != null ? c.transactionsPerSecond() : "", c != null ? c.transactions() : "", c != null ? c.failed() : "",
                    c != null ? c.connect().p50() : "", c != null ? c.connect().p99() : "",
                    c != null ? c.transaction().p50() : "", c != null ? c.transaction().p99() : "",
                    d != null ? d.arrivalBitsPerSecond() : "",
                    d != null ? counter(d.receiverKernel().rcvbufErrors(), d.receiverKernel()) : "",
                    d != null ? counter(d.receiverKernel().inErrors(), d.receiverKernel()) : "",
                    d != null ? counter(d.senderKernel().rcvbufErrors(), d.senderKernel()) : "",
                    d != null ? counter(d.senderKernel().inErrors(), d.senderKernel()) : "",
                    d != null && d.receiveBuffer() >= 0 ? d.receiveBuffer() : "",
                    t != null ? t.retransmits() : "", t != null ? t.sndCwnd() : "", t != null ? t.sndMss() : "",
                    t != null ? t.pmtu() : "", t != null ? t.rttUs() : "", t != null ? t.rttvarUs() : "",
                    t != null && t.dataSegsOut() >= 0 ? t.dataSegsOut() : "", t != null ? t.bytesPerSegment() : "",
                    or(ss == null ? null : ss.noDelay()), or(rs == null ? null : rs.noDelay()),
                    or(ss == null ? null : ss.zerocopy()),
                    or(ss == null ? null : ss.sndbuf()), or(rs == null ? null : rs.rcvbuf()),
                    or(ss == null ? null : ss.congestion()), or(rs == null ? null : rs.congestion()),
                    or(ss == null ? null : ss.tos()), or(rs == null ? null : rs.tos()),
                    r.test() == TestKind.TCP_BW ? bi != null : "", bi != null ? bi.receive().bitsPerSecond() : "", false,
                    l != null && l.io() != null ? l.io() : "",
                    r.samples() != null ? r.samples().count() : 1,
                    headline != null ? headline.median() : "", headline != null ? headline.ci95Low() : "",
                    headline != null ? headline.ci95High() : "",
                    u != null ? u.loaded().p50() : "", u != null ? u.loaded().p90() : "", u != null ? u.loaded().p99() : "",
                    u != null ? u.loaded().p999() : "", u != null ? u.idleRpm() : "", u != null ? u.rpm() : "",
                    u != null ? u.loadBitsPerSecond() : "", u != null ? u.direction() : "", u != null ? u.streams() : "",
                    r.mtu() != null ? r.mtu().pathMtu() : "", r.mtu() != null ? r.mtu().limit() : "",
                    r.mtu() != null && r.mtu().blackHole() != null ? r.mtu().blackHole() : "",
                    d != null && d.sendBuffer() >= 0 ? d.sendBuffer() : "", d != null && d.gsoSegments() > 0 ? d.gsoSegments() : "",
                    d != null && !Double.isNaN(d.datagramsPerSend()) ? d.datagramsPerSend() : "",
                    d != null ? d.gro() : "", d != null ? d.recvmmsg() : "");
            out.append(row.stream().map(CsvReport::cell).collect(Collectors.joining(","))).append('\n');
        }
        if (run.partial() != null) {
            // a started test that did not finish: its name and shape, no figures, and partial=true
            Partial p = run.partial();
            String[] row = new String[COLUMNS.size()];
            Arrays.fill(row, "");
            row[0] = p.test().wireName();
            row[1] = String.valueOf(p.msgSize());
            row[2] = String.valueOf(p.streams());
            row[3] = String.valueOf(p.reverse());
            row[COLUMNS.indexOf("partial")] = "true";
            out.append(String.join(",", row)).append('\n');
        }
        return out.toString();
    }

    /** A read-back value, empty where it was not read. */
    private static Object or(Object value) {
        return value == null ? "" : value;
    }

    /** A kernel counter, empty where it could not be read (never 0). */
    private static Object counter(long value, UdpErrors e) {
        return e.available() ? value : "";
    }

    private static String cell(Object v) {
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "" : String.format(Locale.ROOT, "%.6g", d).trim();
        }
        return v.toString();
    }
}
