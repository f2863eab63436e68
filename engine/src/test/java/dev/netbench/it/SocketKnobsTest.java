package dev.netbench.it;

import dev.netbench.client.Client;
import dev.netbench.client.ClientSettings;
import dev.netbench.protocol.SocketKnobs;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.Bandwidth;
import dev.netbench.report.RunReport;
import dev.netbench.report.SocketReadback;
import dev.netbench.report.TcpFigures;
import dev.netbench.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * tcp_bw's socket knobs (-N, -w, -M, -C, -S) over real loopback sockets: applied at both ends, the client's and the
 * agent's (which takes them from the HELLO), and read back from each socket, forward and -R.
 */
class SocketKnobsTest {
    private Loopback lo;

    @BeforeEach
    void start() throws InterruptedException {
        assumeTrue(Transport.best().name().equals("epoll"), "TCP_MAXSEG and TCP_CONGESTION need native epoll");
        lo = new Loopback();
    }

    @AfterEach
    void stop() {
        if (lo != null) {
            lo.close();
        }
    }

    private Bandwidth run(SocketKnobs knobs, boolean reverse) throws InterruptedException {
        ClientSettings s = new ClientSettings("127.0.0.1", lo.port(), List.of(TestKind.TCP_BW), List.of(), Duration.ofMillis(300),
                Duration.ofMillis(100), 1, reverse, Duration.ZERO, Duration.ofSeconds(5), null, 0, null, knobs);
        RunReport report = Client.run(s, line -> { });
        Bandwidth b = report.results().get(0).bandwidth();
        assertNotNull(b.sockets(), "tcp_bw reads its sockets back");
        assertNull(b.sockets().sender().missing(), b.sockets().toString());
        assertNull(b.sockets().receiver().missing(), b.sockets().toString());
        return b;
    }

    @Test
    void nagleStaysOnByDefaultAndNoDelaySetsTcpNodelayAtBothEndsInBothDirections() throws InterruptedException {
        for (boolean reverse : new boolean[]{false, true}) {
            for (boolean noDelay : new boolean[]{false, true}) {
                Bandwidth b = run(new SocketKnobs(noDelay, 0, 0, null, -1, false), reverse);
                String what = (noDelay ? "-N" : "default") + (reverse ? " -R" : "") + ": " + b.sockets();
                assertEquals(noDelay, b.sockets().sender().noDelay(), what);
                assertEquals(noDelay, b.sockets().receiver().noDelay(), what);
            }
        }
    }

    @Test
    void everyKnobReadsBackAtBothEndsForwardAndReverse() throws Exception {
        int window = 256 * 1024;
        for (boolean reverse : new boolean[]{false, true}) {
            Bandwidth b = run(new SocketKnobs(true, window, 1000, "reno", 0x10, false), reverse);
            SocketReadback s = b.sockets().sender();
            SocketReadback r = b.sockets().receiver();
            String what = (reverse ? "-R: " : "forward: ") + b.sockets();
            // Linux grants twice the request (its bookkeeping), capped at wmem_max / rmem_max
            int sndbuf = 2 * (int) Math.min(window, sysctl("net/core/wmem_max"));
            int rcvbuf = 2 * (int) Math.min(window, sysctl("net/core/rmem_max"));
            for (SocketReadback end : List.of(s, r)) {
                assertEquals(sndbuf, end.sndbuf(), what);
                assertEquals(rcvbuf, end.rcvbuf(), what);
                assertEquals("reno", end.congestion(), what);
                assertEquals(0x10, end.tos(), what);
                assertTrue(end.mss() > 0 && end.mss() <= 1000, "TCP_MAXSEG read back: " + what);
                assertEquals(Boolean.TRUE, end.noDelay(), what);
            }
            TcpFigures t = b.senderTcp().figures();
            assertNotNull(t, b.senderTcp().unavailable());
            // the client's SYN advertised 1000 bytes: the sender's MSS is at most that, whichever end sends
            assertTrue(t.sndMss() > 0 && t.sndMss() <= 1000, "snd_mss " + t.sndMss() + " " + what);
            assertEquals(s.mss().longValue(), t.sndMss(), what);
            // what the wire carried: full segments of at most the MSS, about as many bytes as arrived
            assertTrue(t.dataSegsOut() > 0, what);
            assertTrue(t.bytesPerSegment() <= t.sndMss() && t.bytesPerSegment() > t.sndMss() * 0.9,
                    t.bytesPerSegment() + " bytes per segment at MSS " + t.sndMss());
            assertEquals(b.bytes(), t.bytesOut(), b.bytes() * 0.05, "TCP's bytes sent against the receiver's count, " + what);
        }
        Bandwidth cubic = run(new SocketKnobs(false, 0, 0, "cubic", -1, false), false);
        assertEquals("cubic", cubic.sockets().sender().congestion());
        assertEquals("cubic", cubic.sockets().receiver().congestion());
        assertEquals(Boolean.FALSE, cubic.sockets().sender().noDelay());
    }

    @Test
    void withoutKnobsTheKernelsDefaultsAreReadBack() throws Exception {
        Bandwidth b = run(SocketKnobs.DEFAULT, false);
        String defaultCongestion = String.join(" ", Files.readAllLines(Path.of("/proc/sys/net/ipv4/tcp_congestion_control"))).trim();
        assertEquals(defaultCongestion, b.sockets().sender().congestion());
        assertEquals(defaultCongestion, b.sockets().receiver().congestion());
        assertEquals(0, b.sockets().sender().tos());
    }

    private static long sysctl(String name) throws IOException {
        // readAllLines: readString of some /proc/sys files returns only their first byte
        return Long.parseLong(String.join("", Files.readAllLines(Path.of("/proc/sys/" + name))).trim());
    }
}
