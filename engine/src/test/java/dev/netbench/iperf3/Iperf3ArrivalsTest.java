package dev.netbench.iperf3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Iperf3ArrivalsTest {
    private static final int SIZE = 1400;

    /** An iperf3 datagram as iperf3 3.12 writes it: seconds, microseconds, then the sequence number. */
    private static ByteBuf datagram(long sentMicros, long seq, boolean counters64) {
        ByteBuf d = Unpooled.buffer(SIZE).writeInt((int) (sentMicros / 1_000_000)).writeInt((int) (sentMicros % 1_000_000));
        if (counters64) {
            d.writeLong(seq);
        } else {
            d.writeInt((int) seq);
        }
        return d.writerIndex(SIZE);
    }

    /** Datagrams sent 1 ms apart from a second past the epoch, each arriving 300 µs later on this end's clock. */
    private static Iperf3Arrivals arrive(boolean fromOne, long... seqs) {
        Iperf3Arrivals a = new Iperf3Arrivals(false, fromOne);
        for (long seq : seqs) {
            assertTrue(a.record(datagram(1_000_000 + seq * 1000, seq, false), 7_000_000 + seq * 1_000_000 + 300_000));
        }
        return a;
    }

    @Test
    void aWholeTestCountsLossesFromSequenceNumberOne() {
        Iperf3Arrivals a = arrive(true, 3, 4, 5);
        assertEquals(5, a.expected());
        assertEquals(2, a.lost());
        assertEquals(3, a.datagrams());
        assertEquals(3 * SIZE, a.bytes());
    }

    @Test
    void afterAnOmittedWarmUpLossesCountFromTheFirstArrival() {
        Iperf3Arrivals a = arrive(false, 300, 301, 303);
        assertEquals(4, a.expected());
        assertEquals(1, a.lost());
    }

    @Test
    void aLateDatagramIsOutOfOrderAndNoLongerLost() {
        Iperf3Arrivals a = arrive(true, 1, 2, 4, 3, 5);
        assertEquals(1, a.outOfOrder());
        assertEquals(0, a.lost());
    }

    @Test
    void aDuplicateIsNotAnArrival() {
        Iperf3Arrivals a = arrive(true, 1, 2, 4);
        assertFalse(a.record(datagram(1_002_000, 2, false), 9_500_000));
        assertEquals(3, a.datagrams());
        assertEquals(1, a.lost(), "a duplicate does not stand in for the datagram lost");
    }

    @Test
    void jitterIsRfc3550sRunningMeanOfTransitChanges() {
        Iperf3Arrivals a = new Iperf3Arrivals(false, true);
        long[] extraDelayMicros = {0, 0, 160, 0}; // one datagram 160 µs late: |D| = 160 µs twice
        for (int i = 0; i < extraDelayMicros.length; i++) {
            long sent = 5_000_000 + i * 1000L;
            a.record(datagram(sent, i + 1, false), 1_000_000_000L + i * 1_000_000L + extraDelayMicros[i] * 1000);
        }
        double j = 160.0 / 16;      // J += (|D| - J) / 16, from 0
        j += (160.0 - j) / 16;
        assertEquals(j * 1e-6, a.jitterSeconds(), 1e-12);
    }

    @Test
    void sixtyFourBitCountersAndShortDatagrams() {
        Iperf3Arrivals a = new Iperf3Arrivals(true, true);
        assertTrue(a.record(datagram(1_000_000, 1, true), 0));
        assertTrue(a.record(datagram(1_001_000, 3, true), 1_000_000));
        assertEquals(1, a.lost());
        assertFalse(a.record(Unpooled.buffer(12).writerIndex(12), 2_000_000), "shorter than the 64-bit header");
        assertEquals(2, a.datagrams());
    }
}
