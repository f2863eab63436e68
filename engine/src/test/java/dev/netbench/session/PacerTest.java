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
}
