package dev.netbench.report;

import java.util.List;

/**
 * What the sending end of a TCP stream read from the kernel's TCP_INFO over its measured window (docs/metrics.md,
 * tcp_bw): {@code retransmits}, segments retransmitted between the window's open and close (the difference of
 * tcpi_total_retrans, iperf3's {@code Retr}); at the close, the congestion window in bytes (tcpi_snd_cwnd ×
 * tcpi_snd_mss, iperf3's {@code Cwnd}), the send MSS and the path MTU in bytes, the smoothed RTT and its variation
 * in µs.
 */
public record TcpFigures(long retransmits, long sndCwnd, long sndMss, long pmtu, double rttUs, double rttvarUs) {

    /** Parallel streams as one: retransmits and windows added, the smallest MSS and MTU, the mean RTTs. */
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
        for (TcpFigures s : streams) {
            retransmits += s.retransmits;
            cwnd += s.sndCwnd;
            mss = Math.min(mss, s.sndMss);
            pmtu = Math.min(pmtu, s.pmtu);
            rtt += s.rttUs / streams.size();
            rttvar += s.rttvarUs / streams.size();
        }
        return new TcpFigures(retransmits, cwnd, mss, pmtu, rtt, rttvar);
    }
}
