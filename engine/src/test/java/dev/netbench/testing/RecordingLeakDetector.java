package dev.netbench.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Netty's leak detector for the test suites (surefire's {@code -Dio.netty.customResourceLeakDetector}): reports each
 * leak as Netty does, and also records it, so that {@link LeakCheckExtension} can fail the test class it surfaced
 * in. Netty only notices a leak when the garbage collector has collected the unreleased buffer and a later
 * allocation polls its queue; {@link #collect()} forces both.
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static volatile boolean created;

    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
        created = true;
    }

    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    /** True once Netty made its detectors from this class: the suite runs with the property set. */
    public static boolean installed() {
        // the first buffer allocated makes ByteBuf's detector
        Unpooled.buffer(1).release();
        return created;
    }

    @Override
    protected boolean needReport() {
        return true; // whatever logger Netty found (or none): a leak is always reported
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected (no record of where).");
        super.reportUntracedLeak(resourceType);
    }

    private static void record(String leak) {
        LEAKS.add(leak);
        System.err.println(leak);
    }

    /** Collects garbage and polls the detectors until no new leak shows up; returns every leak recorded and not taken. */
    public static List<String> collect() {
        int seen = -1;
        for (int round = 0; round < 10 && (round < 3 || LEAKS.size() != seen); round++) {
            seen = LEAKS.size();
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            // each leak-aware allocation polls the detector's queue of collected, unreleased buffers
            for (int i = 0; i < 64; i++) {
                ByteBuf a = Unpooled.directBuffer(16);
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                ByteBuf c = PooledByteBufAllocator.DEFAULT.heapBuffer(16);
                a.release();
                b.release();
                c.release();
            }
        }
        return List.copyOf(LEAKS);
    }

    /** Removes and returns the recorded leaks that match. */
    public static List<String> take(Predicate<String> which) {
        List<String> taken = new ArrayList<>();
        for (String leak : LEAKS) {
            if (which.test(leak) && LEAKS.remove(leak)) {
                taken.add(leak);
            }
        }
        return taken;
    }

    /** Puts leaks back that were taken (by a check that was itself under test). */
    public static void restore(Collection<String> leaks) {
        LEAKS.addAll(leaks);
    }
}
