package dev.netbench.admission;

import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent-wide side of {@link Limits}: test slots and the buffer budget, shared by every event loop, the TCP
 * tests and the UDP tests. A test is admitted at its HELLO with a {@link Ticket} that it gives back, once, when it
 * ends however it ends.
 */
public final class Admission {
    private final Limits limits;
    private final ServerMetrics metrics;
    private final AtomicInteger tests = new AtomicInteger();
    private final AtomicLong bufferBytes = new AtomicLong();

    public Admission(Limits limits, ServerMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
        metrics.bufferMemory(bufferBytes::get);
    }

    public Limits limits() {
        return limits;
    }

    /** A test over a limit; the message is the REJECT reason and names the limit. */
    public static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** One admitted test's slot and buffer reservation. */
    public final class Ticket {
        private final long bytes;
        private final AtomicBoolean released = new AtomicBoolean();

        private Ticket(long bytes) {
            this.bytes = bytes;
        }

        /** Gives the slot and the buffer reservation back; later calls do nothing. */
        public void release() {
            if (released.compareAndSet(false, true)) {
                tests.decrementAndGet();
                bufferBytes.addAndGet(-bytes);
            }
        }
    }

    /**
     * The buffer a test's server end holds for its whole life: the one DATA frame it writes again and again when it
     * sends (tcp_bw reversed, tcp_lat's answers), and with -Z the file it sends from, as large; nothing for a
     * receiver or a UDP test (datagrams are small and written from shared zeros or pooled buffers).
     */
    public static long serverBuffer(TestSpec spec) {
        boolean sends = (spec.kind() == TestKind.TCP_BW && spec.reverse()) || spec.kind() == TestKind.TCP_LAT;
        long file = spec.kind() == TestKind.TCP_BW && spec.reverse() && spec.sockets().zerocopy() ? spec.msgSize() : 0;
        return sends ? Protocol.HEADER_LENGTH + (long) spec.msgSize() + file : 0;
    }

    /** Admits the test or says which limit it is over. */
    public Ticket admit(TestSpec spec) throws Refused {
        long asked = spec.warmupNanos() + spec.durationNanos();
        if (asked > limits.maxTestDuration().toNanos()) {
            throw refused("test_duration", Limits.reason("test duration", Limits.seconds(limits.maxTestDuration()),
                    "exceeded: warm-up and duration ask for " + Limits.seconds(Duration.ofNanos(asked))));
        }
        if (spec.msgSize() > limits.maxMessageSize()) {
            throw refused("message_size", Limits.reason("message size", Limits.bytes(limits.maxMessageSize()),
                    "exceeded: asked for " + Limits.bytes(spec.msgSize())));
        }
        if (tests.incrementAndGet() > limits.maxTests()) {
            tests.decrementAndGet();
            throw refused("concurrent_tests", Limits.reason("concurrent tests", String.valueOf(limits.maxTests()), "reached"));
        }
        long need = serverBuffer(spec);
        if (need > 0) {
            long held = bufferBytes.addAndGet(need);
            if (held > limits.maxBufferMemory()) {
                bufferBytes.addAndGet(-need);
                tests.decrementAndGet();
                throw refused("buffer_memory", Limits.reason("buffer memory", Limits.bytes(limits.maxBufferMemory()),
                        "exhausted: " + Limits.bytes(held - need) + " held, this test needs " + Limits.bytes(need)));
            }
        }
        return new Ticket(need);
    }

    private Refused refused(String limit, String reason) {
        metrics.limitHit(limit);
        return new Refused(reason);
    }

    /** Tests holding a slot now. */
    public int tests() {
        return tests.get();
    }

    /** Bytes of buffers reserved now. */
    public long bufferBytes() {
        return bufferBytes.get();
    }
}
