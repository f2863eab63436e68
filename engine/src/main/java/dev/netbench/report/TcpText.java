package dev.netbench.report;

import java.util.Locale;

/** The text of a tcp_bw test's TCP_INFO and its data sockets as read back ({@link TextReport} writes the rest). */
final class TcpText {
    private TcpText() {
    }

    /** The sending end's TCP_INFO: iperf3's Retr and Cwnd, and the path its connection found. */
    static void senderTcp(StringBuilder out, SenderTcp tcp, int streams) {
        TcpFigures f = tcp.figures();
        if (f == null) {
            TextReport.line(out, "retransmits", "n/a", "(" + tcp.unavailable() + ")");
            return;
        }
        String sum = streams > 1 ? ", summed over streams" : "";
        TextReport.line(out, "retransmits", String.valueOf(f.retransmits()), "(sender's TCP, in the window" + sum + ")");
        TextReport.line(out, "snd_cwnd", Units.bytes(f.sndCwnd()), "(sender's congestion window at END" + sum + ")");
        TextReport.line(out, "snd_mss", f.sndMss() + " B", "(path MTU " + f.pmtu() + " B" + (streams > 1 ? "; the smallest of the streams" : "") + ")");
        TextReport.line(out, "tcp_rtt", Units.fixed3(f.rttUs()) + " us", "(sender's smoothed RTT at END, rttvar " + Units.fixed3(f.rttvarUs()) + " us"
                + (streams > 1 ? "; the streams' mean" : "") + ")");
        TextReport.line(out, "data_segs_out", f.dataSegsOut() < 0 ? "n/a" : String.valueOf(f.dataSegsOut()),
                f.dataSegsOut() < 0 ? "(the sender's kernel has no tcpi_data_segs_out)" : "(data segments the sender's TCP sent in the window" + sum + ")");
        TextReport.line(out, "segment_payload", segmentPayload(f), "(mean bytes per data segment: tcpi_bytes_sent / tcpi_data_segs_out over the window)");
    }

    static String segmentPayload(TcpFigures f) {
        double mean = f.bytesPerSegment();
        return Double.isNaN(mean) ? "n/a" : Units.fixed3(mean) + " B";
    }

    /** tcp_bw's data sockets as read back at both ends (stream 1's; the streams are set up alike). */
    static void sockets(StringBuilder out, SocketReadback.Ends ends, int streams) {
        SocketReadback s = ends.sender();
        SocketReadback r = ends.receiver();
        String note = streams > 1 ? "stream 1's; " : "";
        TextReport.line(out, "nodelay", "sender " + onOff(s.noDelay()) + ", receiver " + onOff(r.noDelay()), "(" + note + "TCP_NODELAY read back; off = Nagle on)");
        TextReport.line(out, "zerocopy", onOff(s.zerocopy()), "(the sender's messages with sendfile(2), -Z; off = write(2))");
        TextReport.line(out, "window", "sender " + size(s.sndbuf()) + ", receiver " + size(r.rcvbuf()), "(SO_SNDBUF, SO_RCVBUF as the kernels granted them)");
        TextReport.line(out, "congestion", "sender " + orNa(s.congestion()) + ", receiver " + orNa(r.congestion()), "(TCP_CONGESTION read back)");
        TextReport.line(out, "tos", "sender " + tos(s.tos()) + ", receiver " + tos(r.tos()), "(IP_TOS read back)");
        TextReport.line(out, "mss", "sender " + orNa(s.mss()) + ", receiver " + orNa(r.mss()), "(TCP_MAXSEG read back: each end's MSS in effect)");
        String missing = s.missing() != null ? "sender: " + s.missing() : r.missing() != null ? "receiver: " + r.missing() : null;
        if (missing != null) {
            TextReport.line(out, "socket_n/a", missing, "");
        }
    }

    private static String onOff(Boolean b) {
        return b == null ? "n/a" : b ? "on" : "off";
    }

    private static String size(Integer bytes) {
        return bytes == null ? "n/a" : Units.msgSize(bytes);
    }

    private static String tos(Integer tos) {
        return tos == null ? "n/a" : String.format(Locale.ROOT, "0x%02x", tos);
    }

    private static String orNa(Object v) {
        return v == null ? "n/a" : v.toString();
    }
}
