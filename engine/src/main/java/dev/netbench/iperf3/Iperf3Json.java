package dev.netbench.iperf3;

import dev.netbench.host.Identity;
import dev.netbench.host.Version;
import dev.netbench.json.JsonWriter;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code --json-iperf3}: one bandwidth test as a document in the shape of iperf3 3.12's {@code -J} output
 * (start, intervals, end with streams, sum_sent, sum_received, or sum for UDP, and cpu_utilization_percent), so
 * scripts and dashboards that parse iperf3's JSON read netbench's. docs/iperf3-compat.md lists what is filled and how.
 */
public final class Iperf3Json {
    private Iperf3Json() {
    }

    public static String format(Iperf3Summary s, Identity local) {
        JsonWriter w = new JsonWriter(true).beginObject(null);
        start(w, s, local);
        intervals(w, s);
        end(w, s);
        return w.endObject() + "\n";
    }

    private static void start(JsonWriter w, Iperf3Summary s, Identity local) {
        w.beginObject("start").beginArray("connected");
        for (Iperf3Summary.Connected c : s.connected()) {
            w.beginObject(null).value("socket", c.socket()).value("local_host", c.localHost()).value("local_port", c.localPort())
                    .value("remote_host", c.remoteHost()).value("remote_port", c.remotePort()).endObject();
        }
        w.endArray()
                .value("version", "netbench " + Version.get())
                .value("system_info", local == null ? "" : local.os() + " " + local.hostname() + " " + local.kernel());
        w.beginObject("timestamp")
                .value("time", DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochSecond(s.timestampSeconds()).atOffset(ZoneOffset.UTC)))
                .value("timesecs", s.timestampSeconds())
                .endObject();
        w.beginObject("connecting_to").value("host", s.host()).value("port", s.port()).endObject();
        w.value("cookie", s.cookie()).value("target_bitrate", s.targetBitrate());
        w.beginObject("test_start")
                .value("protocol", s.udp() ? "UDP" : "TCP")
                .value("num_streams", s.streamsCount())
                .value("blksize", s.blockSize())
                .value("omit", s.omit())
                .value("duration", s.duration())
                .value("bytes", 0)
                .value("blocks", 0)
                .value("reverse", s.reverse() ? 1 : 0)
                .value("tos", 0)
                .value("target_bitrate", s.targetBitrate())
                .endObject();
        w.endObject();
    }

    private static void intervals(JsonWriter w, Iperf3Summary s) {
        w.beginArray("intervals");
        boolean localSends = !s.reverse();
        for (Iperf3Summary.Interval in : s.intervals()) {
            double seconds = in.end() - in.start();
            w.beginObject(null).beginArray("streams");
            long bytes = 0;
            long packets = 0;
            for (int i = 0; i < in.bytes().length; i++) {
                w.beginObject(null).value("socket", socket(s, i)).value("start", in.start()).value("end", in.end())
                        .value("seconds", seconds).value("bytes", in.bytes()[i]).value("bits_per_second", rate(in.bytes()[i], seconds));
                if (s.udp()) {
                    w.value("packets", in.packets()[i]);
                }
                w.value("omitted", in.omitted()).value("sender", localSends).endObject();
                bytes += in.bytes()[i];
                packets += in.packets()[i];
            }
            w.endArray().beginObject("sum").value("start", in.start()).value("end", in.end()).value("seconds", seconds)
                    .value("bytes", bytes).value("bits_per_second", rate(bytes, seconds));
            if (s.udp()) {
                w.value("packets", packets);
            }
            w.value("omitted", in.omitted()).value("sender", localSends).endObject().endObject();
        }
        w.endArray();
    }

    private static void end(JsonWriter w, Iperf3Summary s) {
        boolean localSends = !s.reverse();
        w.beginObject("end").beginArray("streams");
        for (Iperf3Summary.StreamEnd e : s.streams()) {
            w.beginObject(null);
            if (s.udp()) {
                udp(w, "udp", e.socket(), e.sender().start(), e.sender().end(), e.sender().seconds(), e.sender().bytes(),
                        e.receiver(), e.sender().packets(), localSends, true);
            } else {
                tcp(w, "sender", e.socket(), e.sender(), localSends);
                tcp(w, "receiver", e.socket(), e.receiver(), localSends);
            }
            w.endObject();
        }
        w.endArray();
        Iperf3Summary.Side sent = sum(s.streams(), true);
        Iperf3Summary.Side received = sum(s.streams(), false);
        if (s.udp()) {
            udp(w, "sum", null, sent.start(), received.end(), received.end(), sent.bytes(), received, sent.packets(), localSends, false);
            Iperf3Summary.Side sentOnly = new Iperf3Summary.Side(0, sent.end(), sent.seconds(), sent.bytes(), -1, 0, 0, sent.packets(), 0);
            udp(w, "sum_sent", null, 0, sent.end(), sent.seconds(), sent.bytes(), sentOnly, sent.packets(), localSends, false);
            udp(w, "sum_received", null, 0, received.end(), received.seconds(), received.bytes(), received, sent.packets(), false, false);
        } else {
            tcp(w, "sum_sent", null, sent, localSends);
            tcp(w, "sum_received", null, received, localSends);
        }
        Iperf3Summary.Cpu c = s.cpu();
        w.beginObject("cpu_utilization_percent")
                .value("host_total", c.hostTotal()).value("host_user", c.hostUser()).value("host_system", c.hostSystem())
                .value("remote_total", c.remoteTotal()).value("remote_user", c.remoteUser()).value("remote_system", c.remoteSystem())
                .endObject();
        if (!s.udp() && s.senderCongestion() != null) {
            w.value("sender_tcp_congestion", s.senderCongestion());
        }
        if (!s.udp() && s.receiverCongestion() != null) {
            w.value("receiver_tcp_congestion", s.receiverCongestion());
        }
        w.endObject();
    }

    private static void tcp(JsonWriter w, String name, Integer socket, Iperf3Summary.Side side, boolean localSends) {
        w.beginObject(name);
        if (socket != null) {
            w.value("socket", socket);
        }
        w.value("start", side.start()).value("end", side.end()).value("seconds", side.seconds()).value("bytes", side.bytes())
                .value("bits_per_second", side.bitsPerSecond());
        if (side.retransmits() >= 0) {
            w.value("retransmits", side.retransmits());
        }
        w.value("sender", localSends).endObject();
    }

    /** A UDP object: the sender's bytes and rate, the receiver's jitter and losses, as iperf3 writes them. */
    private static void udp(JsonWriter w, String name, Integer socket, double start, double end, double seconds, long bytes,
                            Iperf3Summary.Side receiver, long packets, boolean sender, boolean outOfOrder) {
        w.beginObject(name);
        if (socket != null) {
            w.value("socket", socket);
        }
        w.value("start", start).value("end", end).value("seconds", seconds).value("bytes", bytes)
                .value("bits_per_second", rate(bytes, seconds))
                .value("jitter_ms", receiver.jitterMs())
                .value("lost_packets", receiver.lost())
                .value("packets", packets)
                .value("lost_percent", packets > 0 ? 100.0 * receiver.lost() / packets : 0);
        if (outOfOrder) {
            w.value("out_of_order", receiver.outOfOrder());
        }
        w.value("sender", sender).endObject();
    }

    /** Streams summed: bytes, packets, losses and retransmits added, times the longest, jitter the mean. */
    static Iperf3Summary.Side sum(List<Iperf3Summary.StreamEnd> streams, boolean sender) {
        double end = 0;
        double seconds = 0;
        long bytes = 0;
        long retransmits = 0;
        boolean retransmitsKnown = !streams.isEmpty();
        double jitter = 0;
        long lost = 0;
        long packets = 0;
        long outOfOrder = 0;
        for (Iperf3Summary.StreamEnd e : streams) {
            Iperf3Summary.Side x = sender ? e.sender() : e.receiver();
            end = Math.max(end, x.end());
            seconds = Math.max(seconds, x.seconds());
            bytes += x.bytes();
            retransmitsKnown &= x.retransmits() >= 0;
            retransmits += Math.max(0, x.retransmits());
            jitter += x.jitterMs() / streams.size();
            lost += x.lost();
            packets += x.packets();
            outOfOrder += x.outOfOrder();
        }
        return new Iperf3Summary.Side(0, end, seconds, bytes, retransmitsKnown ? retransmits : -1, jitter, lost, packets, outOfOrder);
    }

    private static int socket(Iperf3Summary s, int i) {
        return i < s.streams().size() ? s.streams().get(i).socket() : i + 1;
    }

    private static double rate(long bytes, double seconds) {
        return seconds > 0 ? bytes * 8 / seconds : 0;
    }
}
