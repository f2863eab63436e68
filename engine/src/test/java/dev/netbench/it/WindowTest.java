package dev.netbench.it;

import dev.netbench.client.Client;
import dev.netbench.client.ClientSettings;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.Bandwidth;
import dev.netbench.report.TestResult;
import dev.netbench.transport.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the design makes exact, asserted exactly. tcp_bw's window is delimited in-band (MARK and END travel in the
 * same byte stream as the data), so the receiver counts between MARK and END precisely what the sender wrote
 * between them: bytes sent equal bytes received, per stream and in total, forward, reverse and with -P 4. Every
 * test's window is its -t within 5 %, after a warm-up that must not be in it.
 */
class WindowTest {
    private static final double SECONDS = 2.0;
    private static final Duration WARMUP = Duration.ofMillis(500);
    @RegisterExtension
    final Loopback lo = new Loopback();

    private TestResult run(TestKind kind, int parallel, boolean reverse, long bitsPerSecond) throws InterruptedException {
        ClientSettings s = new ClientSettings("127.0.0.1", lo.port(), List.of(kind), List.of(), Duration.ofMillis((long) (SECONDS * 1000)),
                WARMUP, parallel, reverse, Duration.ZERO, Duration.ofSeconds(5), null, bitsPerSecond);
        List<TestResult> results = Client.run(s, line -> { }).results();
        assertEquals(1, results.size());
        return results.get(0);
    }

    private static void assertWindow(double seconds, String what) {
        assertEquals(SECONDS, seconds, SECONDS * 0.05, what + " window of -t " + SECONDS + " s");
    }

    private static void assertSentEqualsReceived(Bandwidth b, int streams) {
        assertEquals(streams, b.perStream().size());
        for (Bandwidth.Stream st : b.perStream()) {
            assertTrue(st.bytes() > 0, "stream " + st.stream() + " moved data");
            assertEquals(st.bytesSent(), st.bytes(), "stream " + st.stream() + ": sent in the window = received in it");
            assertWindow(st.seconds(), "stream " + st.stream());
        }
        assertEquals(b.bytesSent(), b.bytes(), "total sent in the window = total received in it");
        assertEquals(b.perStream().stream().mapToLong(Bandwidth.Stream::bytes).sum(), b.bytes());
        assertWindow(b.seconds(), "tcp_bw");
    }

    @Test
    void tcpBwForwardSendsAndReceivesTheSameBytes() throws InterruptedException {
        assertSentEqualsReceived(run(TestKind.TCP_BW, 1, false, 0).bandwidth(), 1);
    }

    @Test
    void tcpBwReverseSendsAndReceivesTheSameBytes() throws InterruptedException {
        assertSentEqualsReceived(run(TestKind.TCP_BW, 1, true, 0).bandwidth(), 1);
    }

    @Test
    void tcpBwFourStreamsSendAndReceiveTheSameBytes() throws InterruptedException {
        for (boolean reverse : new boolean[] {false, true}) {
            Bandwidth b = run(TestKind.TCP_BW, 4, reverse, 0).bandwidth();
            assertSentEqualsReceived(b, 4);
            if (Transport.best().name().equals("epoll")) {
                // the streams' sum is over the one window they share: -t less its last 50 ms
                assertNotNull(b.common(), "-P 4: a common window");
                assertTrue(b.common().read(), b.common().missing());
                assertWindow(b.common().seconds() + 0.05, "the common window + 50 ms");
                assertEquals(b.common().bytes() * 8 / b.common().seconds(), b.bitsPerSecond(), b.bitsPerSecond() * 1e-12);
            }
        }
        assertNull(run(TestKind.TCP_BW, 1, false, 0).bandwidth().common(), "one stream: its own window");
    }

    @Test
    void everyOtherTestsWindowIsItsDuration() throws InterruptedException {
        assertWindow(run(TestKind.TCP_LAT, 1, false, 0).latency().seconds(), "tcp_lat");
        assertWindow(run(TestKind.UDP_LAT, 1, false, 0).latency().seconds(), "udp_lat");
        assertWindow(run(TestKind.TCP_CRR, 2, false, 0).connectRate().seconds(), "tcp_crr");
        Bandwidth udp = run(TestKind.UDP_BW, 1, false, 20_000_000).bandwidth();
        assertWindow(udp.seconds(), "udp_bw");
        // paced at 20 Mbit/s for the window: what was sent is the rate times -t, so no warm-up datagram counts
        assertEquals(20e6 * SECONDS / 8 / 1400, udp.datagrams().sent(), 20e6 * SECONDS / 8 / 1400 * 0.05, "udp_bw datagrams sent in the window");
        Bandwidth udpR = run(TestKind.UDP_BW, 1, true, 20_000_000).bandwidth();
        assertWindow(udpR.seconds(), "udp_bw -R");
        assertEquals(20e6 * SECONDS / 8 / 1400, udpR.datagrams().sent(), 20e6 * SECONDS / 8 / 1400 * 0.05, "udp_bw -R datagrams sent in the window");
    }
}
