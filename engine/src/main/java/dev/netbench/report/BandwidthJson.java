package dev.netbench.report;

import dev.netbench.cpu.Cost;
import dev.netbench.json.JsonWriter;

/** The JSON of a bandwidth test's figures ({@link JsonReport} writes the rest of a result around them). */
final class BandwidthJson {
    private BandwidthJson() {
    }

    /** A bandwidth test's figures, costs, TCP_INFO, sockets and streams (not udp_bw's datagram counts). */
    static void figures(JsonWriter w, Bandwidth b) {
        w.value("bits_per_second", b.bitsPerSecond())
                .value("bytes", b.bytes())
                .value("bytes_sent", b.bytesSent())
                .value("seconds", b.seconds())
                .value("msg_rate", b.msgRate());
        if (b.common() != null && b.common().read()) {
            w.beginObject("common_window").value("bytes", b.common().bytes()).value("seconds", b.common().seconds()).endObject();
        } else if (b.datagrams() == null) {
            w.value("common_window", (String) null);
            if (b.common() != null) {
                w.value("common_window_missing", b.common().missing());
            }
        }
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

    /** qperf's cost (host-wide), net of the baseline, the process's; a missing one is null and its reason is beside it. */
    private static void cost(JsonWriter w, String dir, Cost c) {
        w.value(dir + "_cost_s_per_gb", c.host())
                .value(dir + "_cost_net_s_per_gb", c.hostNet())
                .value("process_" + dir + "_cost_s_per_gb", c.process());
        JsonReport.missing(w, dir + "_cost_missing", c.hostMissing());
        JsonReport.missing(w, dir + "_cost_net_missing", c.netMissing());
        JsonReport.missing(w, "process_" + dir + "_cost_missing", c.processMissing());
    }

    /** udp_bw's datagram counts, the kernel's UDP counters at both ends, and what the sockets used. */
    static void datagrams(JsonWriter w, Datagrams d) {
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
        w.value("recv_socket_buffer_bytes", d.receiveBuffer() < 0 ? Double.NaN : d.receiveBuffer())
                .value("send_socket_buffer_bytes", d.sendBuffer() < 0 ? Double.NaN : d.sendBuffer())
                .value("gso_segments", d.gsoSegments() == 0 ? Double.NaN : d.gsoSegments())
                .value("datagrams_per_send", d.datagramsPerSend())
                .value("gro", d.gro())
                .value("recvmmsg", d.recvmmsg())
                .value("receiver_overflowed", d.receiverOverflowed());
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
}
