package dev.netbench.report;

import java.util.List;

/**
 * What the sending end of a TCP stream read from the kernel's TCP_INFO over its measured window (docs/metrics.md,
 * tcp_bw): {@code retransmits}, segments retransmitted between the window's open and close (the difference of
 * tcpi_total_retrans, iperf3's {@code Retr}); at the close, the congestion window in bytes (tcpi_snd_cwnd ×
 * tcpi_snd_mss, iperf3's {@code Cwnd}), the send MSS and the path MTU in bytes, the smoothed RTT and its variation
 * in µs. What the wire carried in the window: {@code dataSegsOut}, data segments sent (the difference of
 * tcpi_data_segs_out, retransmissions included), and {@code bytesOut}, the bytes those segments carried (of
 * tcpi_bytes_sent, retransmissions included); each -1 where the kernel (or an older agent) did not give it.
 */
public record TcpFigures(long retransmits, long sndCwnd, long sndMss, long pmtu, double rttUs, double rttvarUs,
                         long dataSegsOut, long bytesOut) {

    /** Without the segment counters (-1). */
    public TcpFigures(long retransmits, long sndCwnd, long sndMss, long pmtu, double rttUs, double rttvarUs) {
        this(retransmits, sndCwnd, sndMss, pmtu, rttUs, rttvarUs, -1, -1);
    }

    /** The mean payload of a data segment in the window, bytes: bytesOut / dataSegsOut; NaN where either is unknown or 0. */
    public double bytesPerSegment() {
        return dataSegsOut > 0 && bytesOut >= 0 ? (double) bytesOut / dataSegsOut : Double.NaN;
    }

    /** Parallel streams as one: retransmits, windows, segments and bytes added, the smallest MSS and MTU, the mean RTTs. */
    public static TcpFigures sum(List<TcpFigures> streams) {
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("no streams");
        }
        long retransmits = 0;
        long cwnd = 0;
        long mss = Long.MAX_VALUE;
        long pmtu = Long.MAX_VALUE;
        double rtt = 0;
        double rttvar = 0;
        long segs = 0;
        long bytes = 0;
        for (TcpFigures s : streams) {
            retransmits += s.retransmits;
            cwnd += s.sndCwnd;
            mss = Math.min(mss, s.sndMss);
            pmtu = Math.min(pmtu, s.pmtu);
            rtt += s.rttUs / streams.size();
            rttvar += s.rttvarUs / streams.size();
            segs = segs < 0 || s.dataSegsOut < 0 ? -1 : segs + s.dataSegsOut;
            bytes = bytes < 0 || s.bytesOut < 0 ? -1 : bytes + s.bytesOut;
        }
        return new TcpFigures(retransmits, cwnd, mss, pmtu, rtt, rttvar, segs, bytes);
    }
}
