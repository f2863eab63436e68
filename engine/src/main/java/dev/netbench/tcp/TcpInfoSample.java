package dev.netbench.tcp;

import dev.netbench.report.TcpFigures;

/** Some of the kernel's TCP_INFO of one connection at one instant; two samples bound a measured window. */
public record TcpInfoSample(long totalRetrans, long sndCwnd, long sndMss, long pmtu, long rttUs, long rttvarUs) {

    /** The window from {@code start} to this sample: what was retransmitted between them, the rest as of now. */
    public TcpFigures since(TcpInfoSample start) {
        // tcpi_total_retrans is the kernel's u32: a difference modulo 2^32 survives its wrap
        return new TcpFigures((totalRetrans - start.totalRetrans) & 0xFFFF_FFFFL, sndCwnd * sndMss, sndMss, pmtu, rttUs, rttvarUs);
    }
}
