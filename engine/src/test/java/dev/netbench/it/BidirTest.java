package dev.netbench.it;

import dev.netbench.client.Client;
import dev.netbench.client.ClientSettings;
import dev.netbench.protocol.SocketKnobs;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.Bandwidth;
import dev.netbench.report.TestResult;
import dev.netbench.transport.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tcp_bw --bidir over loopback: -P streams that send and as many that receive, at once, on their own connections;
 * each direction's figures apart and their sum, the streams numbered sending first, the knobs on every socket.
 * Ground truth: MARK and END travel in each stream's bytes, so every stream received exactly what its sender wrote
 * in the window, and the client's sending streams are the forward ones (the client's socket is their sender).
 */
class BidirTest {
    @RegisterExtension
    final Loopback lo = new Loopback();

    @Test
    void bothDirectionsRunAtOnceAndAddUp() throws InterruptedException {
        double seconds = 0.6;
        ClientSettings s = new ClientSettings("127.0.0.1", lo.port(), List.of(TestKind.TCP_BW), List.of(64 * 1024),
                Duration.ofMillis((long) (seconds * 1000)), Duration.ofMillis(100), 2, false, Duration.ZERO, Duration.ofSeconds(5),
                null, 0, null, new SocketKnobs(true, 0, 0, null, -1, false), true);
        TestResult r = Client.run(s, line -> { }).results().get(0);
        assertEquals(2, r.streams(), "-P 2 each way");
        assertFalse(r.reverse());
        Bandwidth b = r.bandwidth();
        assertNotNull(b.bidir(), "a --bidir result carries both directions");
        Bandwidth send = b.bidir().send();
        Bandwidth receive = b.bidir().receive();
        assertEquals(List.of(1, 2), send.perStream().stream().map(Bandwidth.Stream::stream).toList());
        assertEquals(List.of(3, 4), receive.perStream().stream().map(Bandwidth.Stream::stream).toList());
        assertEquals(List.of(1, 2, 3, 4), b.perStream().stream().map(Bandwidth.Stream::stream).toList());
        for (Bandwidth.Stream st : b.perStream()) {
            assertTrue(st.bytes() > 0, "stream " + st.stream() + " moved data");
            assertEquals(st.bytesSent(), st.bytes(), "stream " + st.stream() + ": sent in the window = received in it");
            // all four windows are the same -t: the directions ran at the same time, not one after the other
            assertEquals(seconds, st.seconds(), seconds * 0.25, "stream " + st.stream() + "'s window");
            assertEquals(Boolean.TRUE, st.sockets().sender().noDelay(), "-N on stream " + st.stream() + "'s sender");
            assertEquals(Boolean.TRUE, st.sockets().receiver().noDelay(), "-N on stream " + st.stream() + "'s receiver");
        }
        assertEquals(send.bytes() + receive.bytes(), b.bytes());
        assertEquals(send.bitsPerSecond() + receive.bitsPerSecond(), b.bitsPerSecond(), b.bitsPerSecond() * 1e-12);
        if (Transport.best().name().equals("epoll")) {
            // each direction's two streams are summed over the window they share, both directions over the same one
            for (Bandwidth half : List.of(send, receive)) {
                assertNotNull(half.common(), "-P 2: a common window");
                assertTrue(half.common().read(), half.common().missing());
                assertEquals(half.common().bytes() * 8 / half.common().seconds(), half.bitsPerSecond(), half.bitsPerSecond() * 1e-12);
                assertEquals(seconds - seconds / 20, half.common().seconds(), 0.05, "the window: -t less 1/20 of it");
            }
            assertEquals(send.common().bytes() + receive.common().bytes(), b.common().bytes());
        } else {
            assertEquals(send.perStream().stream().mapToDouble(Bandwidth.Stream::bitsPerSecond).sum(), send.bitsPerSecond(),
                    send.bitsPerSecond() * 1e-12);
        }
        assertTrue(Double.isNaN(b.sendCost().host()) && Double.isNaN(b.recvCost().process()),
                "a cost per GB of one direction cannot be told from CPU that served both");
        // (the headline's reason here is the self-test's one process; each direction's keeps the --bidir one)
        assertTrue(send.sendCost().processMissing().contains("--bidir"), send.sendCost().processMissing());
        assertTrue(Double.isNaN(receive.recvCost().host()), "no receive cost for the receiving half either");
        if (Transport.best().name().equals("epoll")) {
            // the receiving half's sender is the agent: its TCP_INFO came back in its RESULT
            assertNotNull(receive.senderTcp().figures(), receive.senderTcp().unavailable());
            assertNotNull(send.senderTcp().figures(), send.senderTcp().unavailable());
        }
    }
}
