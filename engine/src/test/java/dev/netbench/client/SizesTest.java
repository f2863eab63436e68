package dev.netbench.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizesTest {

    @Test
    void suffixesFollowQperf() {
        assertEquals(1, Sizes.parseSize("1"));
        assertEquals(65536, Sizes.parseSize("64K"));
        assertEquals(64000, Sizes.parseSize("64k"));
        assertEquals(1048576, Sizes.parseSize("1M"));
        assertEquals(1000000, Sizes.parseSize("1m"));
        assertEquals(1500, Sizes.parseSize(" 1500 "));
    }

    @Test
    void qperfSweepOneTo64KiBDoubling() {
        List<Integer> sizes = Sizes.parseSweep("1:64K:*2");
        assertEquals(17, sizes.size());
        assertEquals(1, sizes.get(0));
        assertEquals(65536, sizes.get(16));
        for (int i = 1; i < sizes.size(); i++) {
            assertEquals(sizes.get(i - 1) * 2, sizes.get(i));
        }
    }

    @Test
    void arithmeticSweepAndDefaultStep() {
        assertEquals(List.of(1000, 1500, 2000), Sizes.parseSweep("1000:2000:+500"));
        assertEquals(List.of(1024, 2048, 3072, 4096), Sizes.parseSweep("1K:4K:+1K"));
        assertEquals(List.of(1, 2, 4, 8), Sizes.parseSweep("1:8"));
        assertEquals(List.of(3, 9, 27), Sizes.parseSweep("3:30:*3"), "END is not added when the progression skips it");
        assertEquals(List.of(7), Sizes.parseSweep("7:7:*2"));
        assertEquals(List.of(7), Sizes.parseSweep("7"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "-1", "1.5", "64KB", "K", "17M", "99999999999999", "abc", "1:", ":8", "8:1",
            "1:8:2", "1:8:*1", "1:8:*", "1:8:+0", "1:8:x2", "1:8:*2:4", "1:16M:+1"})
    void badSizesAndSweepsAreExplained(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parseSweep(text));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    @Test
    void seconds() {
        assertEquals(Duration.ofMillis(500), Sizes.parseSeconds("0.5", false));
        assertEquals(Duration.ofSeconds(10), Sizes.parseSeconds("10s", false));
        assertEquals(Duration.ZERO, Sizes.parseSeconds("0", true));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parseSeconds("0", false));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parseSeconds("-1", true));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parseSeconds("NaN", true));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parseSeconds("1e9", true));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parseSeconds("ten", true));
    }
}
