package dev.netbench.socket;

import dev.netbench.socket.TcpInfoSample;
import dev.netbench.report.TcpFigures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The window's TCP figures from TCP_INFO at its open and close, as iperf3 computes Retr and Cwnd. */
class TcpInfoSampleTest {

    @Test
    void retransmitsAreTheDifferenceOverTheWindowAndTheRestIsAtItsClose() {
        TcpInfoSample open = new TcpInfoSample(40, 10, 1448, 1500, 900, 300);
        TcpInfoSample close = new TcpInfoSample(57, 22, 1448, 1500, 250, 31);
        // 40 retransmitted before the window (warm-up, -O in iperf3) are not the window's
        assertEquals(new TcpFigures(17, 22 * 1448, 1448, 1500, 250, 31), close.since(open));
    }

    @Test
    void congestionWindowIsInBytesAsIperf3ReportsIt() {
        TcpInfoSample s = new TcpInfoSample(0, 75, 65483, 65535, 20, 5);
        assertEquals(75L * 65483, s.since(s).sndCwnd());
        assertEquals(0, s.since(s).retransmits());
    }

    @Test
    void theKernelsThirtyTwoBitCounterMayWrapInsideTheWindow() {
        TcpInfoSample open = new TcpInfoSample(0xFFFF_FFF0L, 10, 1448, 1500, 100, 10);
        TcpInfoSample close = new TcpInfoSample(0x10, 10, 1448, 1500, 100, 10);
        assertEquals(0x20, close.since(open).retransmits());
    }
}
