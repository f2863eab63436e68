package dev.netbench.udp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrivalStatsTest {
    private static final int SIZE = 100;

    /** Records {@code seqs} in this arrival order, 1 ms apart, each sent 1 ms after the previous one. */
    private static ArrivalStats arrive(long... seqs) {
        ArrivalStats s = new ArrivalStats();
        for (int i = 0; i < seqs.length; i++) {
            s.record((int) seqs[i], seqs[i] * 1_000_000L, 5_000_000L + i * 1_000_000L, SIZE);
        }
        return s;
    }

    @Test
    void inOrderStreamHasNoLossNoReorderNoJitter() {
        ArrivalStats s = arrive(0, 1, 2, 3, 4, 5);
        assertEquals(6, s.datagrams());
        assertEquals(6 * SIZE, s.bytes());
        assertEquals(0, s.outOfOrder());
        assertEquals(0, s.duplicates());
        assertEquals(0.0, s.jitterNanos());
        assertEquals(6, s.highest() + 1, "expected = highest + 1");
        assertEquals(5 * SIZE, s.trainBytes());
        assertEquals(5_000_000L, s.trainNanos());
    }

    @Test
    void lossBurstIsTheGapBetweenExpectedAndReceived() {
        ArrivalStats s = arrive(0, 1, 2, 7, 8, 9);
        assertEquals(6, s.datagrams());
        assertEquals(10, s.highest() + 1);
        assertEquals(4, s.highest() + 1 - s.datagrams(), "seq 3..6 missing");
        assertEquals(0, s.outOfOrder());
    }

    @Test
    void reorderingCountsLateArrivalsOnceAndFillsTheGap() {
        ArrivalStats s = arrive(0, 2, 1, 3, 5, 4);
        assertEquals(6, s.datagrams());
        assertEquals(2, s.outOfOrder(), "1 after 2, 4 after 5");
        assertEquals(0, s.duplicates());
        assertEquals(0, s.highest() + 1 - s.datagrams());
    }

    @Test
    void duplicatesAreCountedAndNotReceivedTwice() {
        ArrivalStats s = new ArrivalStats();
        assertTrue(s.record(0, 0, 10, SIZE));
        assertTrue(s.record(1, 1, 11, SIZE));
        assertFalse(s.record(1, 1, 12, SIZE));
        assertFalse(s.record(0, 0, 13, SIZE));
        assertEquals(2, s.datagrams());
        assertEquals(2, s.duplicates());
        assertEquals(2 * SIZE, s.bytes());
        assertEquals(0, s.outOfOrder(), "a duplicate is not also out of order");
    }

    @Test
    void sequenceNumbersWrapAt32Bits() {
        long top = 0xFFFF_FFFEL;
        ArrivalStats s = arrive(top, top + 1, top + 2, top + 3); // the wire carries 0xFFFFFFFE, 0xFFFFFFFF, 0, 1
        assertEquals(4, s.datagrams());
        assertEquals(0, s.outOfOrder());
        assertEquals(top + 3, s.highest(), "extended past 2^32");
        assertFalse(s.record(0xFFFF_FFFF, 0, 0, SIZE), "the pre-wrap datagram again is a duplicate");
    }

    @Test
    void reorderedAcrossTheWrapIsOutOfOrderNotAJumpBack() {
        long top = 0xFFFF_FFFFL;
        ArrivalStats s = arrive(top - 1, top + 1, top, top + 2);
        assertEquals(4, s.datagrams());
        assertEquals(1, s.outOfOrder());
        assertEquals(top + 2, s.highest());
    }

    @Test
    void extendPicksTheClosestWrap() {
        assertEquals(5, ArrivalStats.extend(-1, 5));
        assertEquals((1L << 32) + 3, ArrivalStats.extend((1L << 32) - 2, 3));
        assertEquals((1L << 32) - 2, ArrivalStats.extend((1L << 32) + 3, -2));
        assertEquals(100, ArrivalStats.extend(90, 100));
    }

    @Test
    void jitterFollowsRfc3550() {
        // transit times 0, 2, 0, 2 ms: |D| = 2 ms each step; J_1 = 2/16, J_2 = J_1 + (2 - J_1)/16, ...
        ArrivalStats s = new ArrivalStats();
        long ms = 1_000_000L;
        long[] transit = {0, 2 * ms, 0, 2 * ms};
        double expected = 0;
        for (int i = 0; i < transit.length; i++) {
            s.record(i, i * 10 * ms, i * 10 * ms + transit[i], SIZE);
            if (i > 0) {
                expected += (2 * ms - expected) / 16;
            }
        }
        assertEquals(expected, s.jitterNanos(), 1e-6);
        assertEquals(2 * ms * (1 - Math.pow(15.0 / 16, 3)), s.jitterNanos(), 1e-3);
    }

    @Test
    void constantDelayAndClockOffsetGiveZeroJitter() {
        ArrivalStats s = new ArrivalStats();
        for (int i = 0; i < 100; i++) {
            s.record(i, 1_000_000_000_000L + i * 1000L, 42 + i * 1000L, SIZE); // clocks 10^12 ns apart
        }
        assertEquals(0.0, s.jitterNanos());
    }

    @Test
    void windowSlidesOverLongStreams() {
        ArrivalStats s = new ArrivalStats();
        int n = 3 * ArrivalStats.REORDER_WINDOW + 17;
        for (int i = 0; i < n; i++) {
            s.record(i, i, i, SIZE);
        }
        assertEquals(n, s.datagrams());
        assertFalse(s.record(n - 1, 0, 0, SIZE), "a recent duplicate is still caught");
        assertEquals(1, s.duplicates());
        // older than the window: cannot be told from a duplicate, so counted as a late original
        assertTrue(s.record(5, 0, 0, SIZE));
        assertEquals(1, s.outOfOrder());
    }

    @Test
    void bigForwardJumpClearsTheWindow() {
        ArrivalStats s = arrive(0, 1, 2);
        long far = 2L * ArrivalStats.REORDER_WINDOW + 2;
        assertTrue(s.record((int) far, 0, 0, SIZE));
        assertTrue(s.record((int) (far - ArrivalStats.REORDER_WINDOW + 1), 0, 0, SIZE), "its slot was cleared");
        assertEquals(5, s.datagrams());
        assertEquals(far + 1 - 5, s.highest() + 1 - s.datagrams());
    }
}
