package dev.netbench.socket;

import dev.netbench.report.TcpFigures;

/**
 * Some of the kernel's TCP_INFO of one connection at one instant; two samples bound a measured window.
 * {@code dataSegsOut} (tcpi_data_segs_out, Linux 4.6) and {@code bytesSent} (tcpi_bytes_sent, 4.19) are -1 where
 * the kernel's struct is too short to hold them.
 */
public record TcpInfoSample(long totalRetrans, long sndCwnd, long sndMss, long pmtu, long rttUs, long rttvarUs,
                            long dataSegsOut, long bytesSent) {

    /** Without the segment counters (-1): what a source that cannot read them has. */
    public TcpInfoSample(long totalRetrans, long sndCwnd, long sndMss, long pmtu, long rttUs, long rttvarUs) {
        this(totalRetrans, sndCwnd, sndMss, pmtu, rttUs, rttvarUs, -1, -1);
    }

    /** The window from {@code start} to this sample: what was retransmitted and sent between them, the rest as of now. */
    public TcpFigures since(TcpInfoSample start) {
        // tcpi_total_retrans and tcpi_data_segs_out are the kernel's u32: a difference modulo 2^32 survives their wrap
        long segs = dataSegsOut < 0 || start.dataSegsOut < 0 ? -1 : (dataSegsOut - start.dataSegsOut) & 0xFFFF_FFFFL;
        long bytes = bytesSent < 0 || start.bytesSent < 0 ? -1 : bytesSent - start.bytesSent;
        return new TcpFigures((totalRetrans - start.totalRetrans) & 0xFFFF_FFFFL, sndCwnd * sndMss, sndMss, pmtu, rttUs, rttvarUs,
                segs, bytes);
    }
}
