package dev.netbench.report;

import dev.netbench.protocol.TestKind;

/**
 * One {@code -i} interval of one test as this end saw it: what moved since the previous one, the warm-up included
 * and marked ({@code start} and {@code end} in seconds from the test's start). The final figures come from the
 * measured window only, never from these. A figure the test does not have is null; {@link #line()} and
 * {@link JsonReport#interval} are its two forms.
 *
 * @param bytes          tcp_bw's bytes this end sent (received with -R), udp_bw's bytes the receiver counted
 * @param retransmits    tcp_bw's sending streams' retransmits in the interval (TCP_INFO; null where not readable)
 * @param cwndBytes      their congestion windows now, summed, in bytes
 * @param lost           udp_bw: datagrams the receiver found missing in the interval, of {@code expected}
 * @param jitterMs       udp_bw: the receiver's RFC 3550 jitter now
 * @param messages       tcp_lat/udp_lat: messages both ways (qperf's count); tcp_crr: transactions completed
 * @param latencyUs      tcp_lat/udp_lat: the interval's mean RTT / 2
 * @param p50Us          the interval's RTT (tcp_crr: transaction time) median and 99th percentile
 * @param loadBytes      --under-load's loaded run: the bytes the load's streams moved at this end (sent up, received down)
 */
public record Interval(TestKind test, double start, double end, boolean warmup, Long bytes, Long retransmits, Long cwndBytes,
                       Long lost, Long expected, Double jitterMs, Long messages, Double latencyUs, Double p50Us, Double p99Us,
                       Long loadBytes) {

    /** Without a load beside the test. */
    public Interval(TestKind test, double start, double end, boolean warmup, Long bytes, Long retransmits, Long cwndBytes,
                    Long lost, Long expected, Double jitterMs, Long messages, Double latencyUs, Double p50Us, Double p99Us) {
        this(test, start, end, warmup, bytes, retransmits, cwndBytes, lost, expected, jitterMs, messages, latencyUs, p50Us, p99Us, null);
    }

    /** This interval of a loaded run, with what the load moved in it. */
    public Interval withLoad(long bytes) {
        return new Interval(test, start, end, warmup, this.bytes, retransmits, cwndBytes, lost, expected, jitterMs, messages,
                latencyUs, p50Us, p99Us, bytes);
    }

    public double seconds() {
        return end - start;
    }

    /** The progress line -i prints: "[  1.00-  2.00 s] tcp_bw 1.2 GB  9.6 Gbit/s  retr 0  cwnd 640 KB". */
    public String line() {
        double s = seconds();
        String what = switch (test) {
            case TCP_BW -> Units.bytes(bytes) + "  " + Units.bitsPerSecond(bytes * 8 / s)
                    + (retransmits == null ? "" : "  retr " + retransmits + "  cwnd " + Units.bytes(cwndBytes));
            case UDP_BW -> String.format(java.util.Locale.ROOT, "%s  %s  lost %d/%d (%s %%)  jitter %s ms", Units.bytes(bytes),
                    Units.bitsPerSecond(bytes * 8 / s), lost, expected, Units.fixed3(expected > 0 ? 100.0 * lost / expected : 0),
                    Units.fixed3(jitterMs));
            case TCP_CRR -> "tps " + Units.si(messages / s, "/s") + "  (" + messages + " transactions)"
                    + "  transaction " + percentiles();
            default -> "msg_rate " + Units.si(messages / s, "/s") + "  latency " + Units.fixed3(latencyUs) + " us  rtt " + percentiles();
        };
        return String.format(java.util.Locale.ROOT, "[%6.2f-%6.2f s] %s %s%s%s", start, end, test.wireName(), what,
                loadBytes == null ? "" : "  under load " + Units.bitsPerSecond(loadBytes * 8 / s), warmup ? "  (warm-up)" : "");
    }

    private String percentiles() {
        return "p50 " + Units.fixed3(p50Us) + "  p99 " + Units.fixed3(p99Us) + " us";
    }
}
