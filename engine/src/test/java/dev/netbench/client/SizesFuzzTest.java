package dev.netbench.client;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.netbench.protocol.Protocol;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line's number parsers (--msg sizes and sweeps, -b bit rates, seconds, the agent's memory limit) on
 * any text: each either answers within its documented range or says why not with an IllegalArgumentException
 * (which the command line turns into one line and exit 2), never another exception, never an endless sweep.
 * Regression inputs: {@code src/test/resources/dev/netbench/client/SizesFuzzTestInputs/parse/}.
 */
class SizesFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            int size = Sizes.parseSize(text);
            assertTrue(size >= 1 && size <= Protocol.MAX_MESSAGE_SIZE, "size " + size);
        } catch (IllegalArgumentException rejected) {
            // a one-line reason
        }
        try {
            List<Integer> sweep = Sizes.parseSweep(text);
            assertTrue(!sweep.isEmpty() && sweep.size() <= Sizes.MAX_SWEEP_POINTS, "sweep of " + sweep.size());
            for (int i = 0; i < sweep.size(); i++) {
                int s = sweep.get(i);
                assertTrue(s >= 1 && s <= Protocol.MAX_MESSAGE_SIZE, "size " + s + " in " + text);
                assertTrue(i == 0 || s > sweep.get(i - 1), "sweep not increasing: " + sweep);
            }
            if (!text.contains(":")) {
                assertEquals(List.of(Sizes.parseSize(text)), sweep);
            }
        } catch (IllegalArgumentException rejected) {
            // a one-line reason
        }
        try {
            long bps = Sizes.parseBitrate(text);
            assertTrue(bps >= 0 && bps <= 1_000_000_000_000L, "bit rate " + bps);
        } catch (IllegalArgumentException rejected) {
            // a one-line reason
        }
        for (boolean allowZero : new boolean[]{false, true}) {
            try {
                Duration d = Sizes.parseSeconds(text, allowZero);
                assertTrue(d.toNanos() <= 86_400_000_000_000L && (allowZero ? !d.isNegative() : d.toNanos() >= 1_000_000),
                        "seconds " + d + " from '" + text + "'");
            } catch (IllegalArgumentException rejected) {
                // a one-line reason
            }
        }
        try {
            long bytes = Sizes.parseMemory(text);
            assertTrue(bytes >= 1 && bytes <= 1L << 40, "memory " + bytes);
        } catch (IllegalArgumentException rejected) {
            // a one-line reason
        }
    }
}
