package dev.netbench.testing;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/**
 * A test class that leaks a buffer on purpose. Surefire never runs it (its name matches no test pattern);
 * {@link LeakDetectorTest} runs it in a JUnit run of its own to show that a leak fails the class.
 */
public class LeakyFixture {
    @Test
    void leaksABuffer() {
        Unpooled.directBuffer(32).writeInt(7); // never released
    }
}
