package dev.netbench.it;

import dev.netbench.client.Client;
import dev.netbench.client.ClientSettings;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.Bandwidth;
import dev.netbench.testing.CountingProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What tcp_bw puts on the wire, counted by a plain relay between client and agent: the payload netbench reports
 * plus a handful of frames whatever the number of messages (the handshake, MARK, END, RESULT), never a header
 * per message as qperf's -m and iperf3's -l send none. A 5-byte header per 1-byte message would put 5x the
 * payload on the wire.
 */
class WireBytesTest {
    /** Handshake, MARK, END and RESULT together stay well under this, whatever the test's length. */
    private static final long FRAMES = 4096;
    @RegisterExtension
    final Loopback lo = new Loopback();

    @Test
    void theWireCarriesThePayloadAndNoPerMessageFraming() throws Exception {
        for (int size : new int[]{1, 65536}) {
            for (boolean reverse : new boolean[]{false, true}) {
                try (CountingProxy proxy = new CountingProxy(lo.port())) {
                    // no warm-up: every message the sender sends is in its window, so bytes_sent is all the payload
                    ClientSettings s = new ClientSettings("127.0.0.1", proxy.port(), List.of(TestKind.TCP_BW), List.of(size),
                            Duration.ofMillis(700), Duration.ZERO, 1, reverse, Duration.ZERO, Duration.ofSeconds(5), null, 0);
                    Bandwidth b = Client.run(s, line -> { }).results().get(0).bandwidth();
                    long wire = reverse ? proxy.fromTarget() : proxy.toTarget();
                    String what = size + " B messages" + (reverse ? ", -R" : "") + ": wire " + wire + " B, payload sent " + b.bytesSent()
                            + " B, received " + b.bytes() + " B";
                    long messages = b.bytesSent() / size;
                    assertTrue(messages >= (size == 1 ? 20_000 : 1_000), "too few messages to tell: " + what);
                    assertTrue(wire >= b.bytesSent() && wire - b.bytesSent() < FRAMES, what);
                    if (b.bytesSent() > FRAMES * 1000) {
                        assertTrue(wire - b.bytesSent() <= b.bytesSent() / 1000, "more than 0.1 % over the payload: " + what);
                    }
                }
            }
        }
    }
}
