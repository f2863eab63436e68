package dev.netbench.latency;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntervalLatencyTest {

    @Test
    void eachIntervalHasOnlyItsOwnSamplesFromEveryWriter() throws InterruptedException {
        IntervalLatency l = new IntervalLatency();
        Thread[] writers = new Thread[4];
        for (int w = 0; w < writers.length; w++) {
            writers[w] = new Thread(() -> {
                for (int us = 1; us <= 1000; us++) {
                    l.record(us * 1000L);
                }
            });
            writers[w].start();
        }
        for (Thread t : writers) {
            t.join();
        }
        RttFigures first = l.sinceLast();
        assertEquals(4000, first.count(), "every writer's samples");
        assertEquals(500.5, first.mean(), 500.5 * 0.001);
        assertEquals(500, first.p50(), 500 * 0.001 + 1);
        assertEquals(990, first.p99(), 990 * 0.001 + 1);
        assertTrue(first.p50() <= first.p99() && first.p99() <= first.max());

        l.record(7_000_000);
        RttFigures second = l.sinceLast();
        assertEquals(1, second.count(), "the first interval's samples are gone");
        assertEquals(7000, second.p50(), 7);
        assertEquals(0, l.sinceLast().count());
        assertTrue(Double.isNaN(l.sinceLast().mean()), "an empty interval has no latency");
    }
}
