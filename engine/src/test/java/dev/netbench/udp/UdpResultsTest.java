package dev.netbench.udp;

import dev.netbench.cpu.CpuUsage;
import dev.netbench.cpu.HostCpu;
import dev.netbench.cpu.ProcessCpu;
import dev.netbench.report.Bandwidth;
import dev.netbench.report.Datagrams;
import dev.netbench.report.EndFigures;
import dev.netbench.report.UdpErrors;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdpResultsTest {
    private static final CpuUsage CPU = new CpuUsage(4, new ProcessCpu(1, 1), 0, null, new HostCpu(1, 1, 0, 0, 0, 8, 0), null, null,
            null, "no baseline in this test");
    private static final int SIZE = 1250;
    private static final long NANOS = 1_000_000_000L;

    /**
     * One stream at 1000 datagrams/s (10 Mbit/s) for a 4 s sender window; the receiver got the first 3 s of it and
     * nothing in the last second (an outage at the window's edge).
     */
    private static UdpOutcome edgeOutage(UdpErrors receiverKernel, UdpErrors senderKernel) {
        EndFigures sender = new EndFigures(4000L * SIZE, 0, 4000, 0, 4 * NANOS, CPU, null);
        EndFigures receiver = new EndFigures(0, 3000L * SIZE, 0, 3000, 4 * NANOS, CPU, null);
        ArrivalFigures arrivals = new ArrivalFigures(3000, 0, 0, 0, 2999L * SIZE, 2999L * NANOS / 1000, receiverKernel, 1 << 20, Offload.Reads.GRO);
        return new UdpOutcome(sender, receiver, arrivals, new SendSide(senderKernel, 1 << 19, 46, 12.5), null, 0, null);
    }

    @Test
    void theHeadlineIsOverTheSendersWindowSoAnEdgeOutageShowsTheArrivalSpanRateDoesNot() {
        UdpErrors r = new UdpErrors(0, 0, null);
        UdpErrors s = UdpErrors.unavailable("cannot read /proc/net/snmp: no such file");
        Bandwidth b = UdpResults.bandwidth(false, List.of(edgeOutage(r, s)));
        Datagrams d = b.datagrams();
        assertEquals(7.5e6, b.bitsPerSecond(), 1, "3 s of 10 Mbit/s over the 4 s window");
        assertEquals(4, b.seconds(), 1e-9, "the sender's window");
        assertEquals(750, b.msgRate(), 1e-9);
        assertEquals(10e6, d.arrivalBitsPerSecond(), 1, "first to last arrival: the sender's rate");
        assertEquals(2.999, d.arrivalSeconds(), 1e-9);
        assertEquals(10e6, d.sendBitsPerSecond(), 1);
        assertEquals(1000, d.lost());
        assertSame(r, d.receiverKernel());
        assertSame(s, d.senderKernel());
        assertEquals(1 << 20, d.receiveBuffer());
        assertEquals(1 << 19, d.sendBuffer());
        assertEquals(46, d.gsoSegments());
        assertEquals(12.5, d.datagramsPerSend());
        assertTrue(d.gro());
    }

    @Test
    void withParallelStreamsRatesAddUpAndTheNamespaceWideCountersAreStreamOnesNotASum() {
        UdpErrors first = new UdpErrors(7, 9, null);
        Bandwidth b = UdpResults.bandwidth(false, List.of(edgeOutage(first, first), edgeOutage(new UdpErrors(8, 10, null), first)));
        assertEquals(15e6, b.bitsPerSecond(), 2);
        assertEquals(20e6, b.datagrams().arrivalBitsPerSecond(), 2);
        assertEquals(2, b.perStream().size());
        assertEquals(7.5e6, b.perStream().get(1).bitsPerSecond(), 1);
        assertEquals(4, b.perStream().get(1).seconds(), 1e-9);
        assertSame(first, b.datagrams().receiverKernel());
    }
}
