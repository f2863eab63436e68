package dev.netbench.testing;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The mechanism that fails the build on a leak, shown to work on deliberate leaks without failing this suite. */
class LeakDetectorTest {

    private static void leak() {
        Unpooled.directBuffer(64).writeLong(42); // unreachable once this returns, never released
    }

    @Test
    void theSuiteRunsWithTheRecordingDetectorAtParanoid() {
        assertTrue(RecordingLeakDetector.installed(), "surefire's argLine sets -Dio.netty.customResourceLeakDetector");
        assertEquals("PARANOID", io.netty.util.ResourceLeakDetector.getLevel().name());
    }

    @Test
    void aLeakedBufferIsRecordedWithWhereItWasMade() {
        leak();
        RecordingLeakDetector.collect();
        List<String> mine = RecordingLeakDetector.take(l -> l.contains("LeakDetectorTest.leak("));
        assertFalse(mine.isEmpty(), "the deliberate leak was not detected");
        assertTrue(mine.get(0).startsWith("LEAK: ByteBuf.release() was not called"), mine.get(0));
    }

    @Test
    void aClassThatLeaksFails() {
        // leaks of other classes, if any surfaced just now, are not this test's: put them back for the check after it
        RecordingLeakDetector.collect();
        List<String> others = RecordingLeakDetector.take(l -> true);
        try {
            EngineExecutionResults run = EngineTestKit.engine("junit-jupiter")
                    .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                    .selectors(selectClass(LeakyFixture.class))
                    .execute();
            run.testEvents().assertStatistics(s -> s.succeeded(1).failed(0)); // the test itself passes
            List<Event> failed = run.containerEvents().failed().list();
            assertEquals(1, failed.size(), "the leaking class fails: " + run.containerEvents().list());
            Throwable why = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                    .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow();
            assertInstanceOf(AssertionError.class, why);
            assertTrue(why.getMessage().contains("Netty buffer leak(s) detected by the end of LeakyFixture"), why.getMessage());
            assertTrue(why.getMessage().contains("LeakyFixture.leaksABuffer("), "where it leaked: " + why.getMessage());
        } finally {
            RecordingLeakDetector.take(l -> l.contains("LeakyFixture.leaksABuffer("));
            RecordingLeakDetector.restore(others);
        }
    }
}
