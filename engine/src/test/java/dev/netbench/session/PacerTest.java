package dev.netbench.session;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class PacerTest {
    @Test
    void pacesToTheBitRate() {
        // 8 Mbit/s of 1000-byte datagrams: 1000 per second, one every 1 ms
        Pacer p = new Pacer(8_000_000, 1000, 64, 0);
        assertEquals(1, p.due(0, 0), "the first goes at once");
        assertEquals(0, p.due(0, 1));
        assertEquals(1_000_000, p.nanosUntilNext(0, 1));
        assertEquals(1, p.due(1_000_000, 1));
        assertEquals(10, p.due(10_000_000, 1), "11 due by 10 ms, 1 sent");
        assertEquals(0, p.due(1_000_000_000L, 1001), "1001 by t = 1 s");
        assertEquals(1, p.due(1_000_000_000L, 1000));
    }

    @Test
    void catchesUpAtMostABatch() {
        Pacer p = new Pacer(8_000_000, 1000, 64, 0);
        assertEquals(64, p.due(1_000_000_000L, 0));
    }

    @Test
    void unpacedIsAlwaysABatch() {
        Pacer p = new Pacer(0, 1400, 64, 0);
        assertFalse(p.paced());
        assertEquals(64, p.due(5, 1_000_000));
        assertEquals(0, p.nanosUntilNext(5, 1_000_000));
    }

    /**
     * 10 Gbit/s of 1400-byte datagrams (893 k/s) sent in GSO batches of at most 46 by a loop that wakes up to 60 µs late
     * (a timer's slack) and takes 2 µs per send: it is never more than one datagram ahead of the rate, never further
     * behind than a batch plus what fell due while it overslept, and over a second it sends the rate's count to
     * within one batch.
     */
    @Test
    void atTenGigabitsInGsoBatchesTheErrorIsOneBatchAndALateWakeUp() {
        long rate = 10_000_000_000L;
        int size = 1400;
        int batch = 46;
        double perNano = rate / (size * 8.0) / 1e9;
        Pacer p = new Pacer(rate, size, 64, 0);
        java.util.Random random = new java.util.Random(7);
        long sent = 0;
        long now = 0;
        long late = 60_000;
        while (now < 1_000_000_000L) {
            int n = Math.min(p.due(now, sent), batch);
            sent += n;
            long ideal = (long) (now * perNano) + 1;
            org.junit.jupiter.api.Assertions.assertTrue(sent <= ideal, "ahead at " + now + ": " + sent + " > " + ideal);
            org.junit.jupiter.api.Assertions.assertTrue(ideal - sent <= batch + (long) Math.ceil(late * perNano) + 1,
                    "behind at " + now + ": " + (ideal - sent));
            now += n > 0 ? 2_000 : p.nanosUntilNext(now, sent) + random.nextInt((int) late);
        }
        long expected = (long) (1e9 * perNano);
        assertEquals(expected, sent, batch, "datagrams in the first second");
    }
}
