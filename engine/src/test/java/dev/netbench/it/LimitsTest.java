package dev.netbench.it;

import dev.netbench.NetbenchException;
import dev.netbench.client.Client;
import dev.netbench.client.ClientSettings;
import dev.netbench.protocol.FrameType;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;
import dev.netbench.report.RunReport;
import dev.netbench.admission.Limits;
import dev.netbench.testing.Frames;
import dev.netbench.testing.RawSocket;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every limit of server.Limits: a request over it gets a clean reject that names it, and nothing is left held. */
class LimitsTest {
    private static final Limits BASE = Limits.defaults();

    private static NetbenchException failure(Loopback lo, ClientSettings settings) {
        return assertThrows(NetbenchException.class, () -> Client.run(settings, line -> { }));
    }

    private static ClientSettings settings(Loopback lo, TestKind kind, int msg, double seconds, int parallel, boolean reverse) {
        return lo.settings(List.of(kind), msg > 0 ? List.of(msg) : List.of(), seconds, parallel, reverse);
    }

    /** Waits until the agent holds no test, no buffer and no connection. */
    private static void assertAllFreed(Loopback lo) throws InterruptedException {
        for (int i = 0; i < 200 && (lo.server.admission().tests() > 0 || lo.server.admission().bufferBytes() > 0
                || lo.server.testConnections().addresses() > 0 || lo.server.metrics().activeTests() > 0); i++) {
            Thread.sleep(20);
        }
        assertEquals(0, lo.server.admission().tests(), "test slots held");
        assertEquals(0, lo.server.admission().bufferBytes(), "buffer memory held");
        assertEquals(0, lo.server.testConnections().addresses(), "connections counted");
        assertEquals(0, lo.server.metrics().activeTests(), "active tests");
    }

    @Test
    void concurrentTests() throws Exception {
        try (Loopback lo = new Loopback(BASE.withMaxTests(2))) {
            NetbenchException e = failure(lo, settings(lo, TestKind.TCP_BW, 0, 0.5, 3, false));
            assertTrue(e.getMessage().matches("server 127\\.0\\.0\\.1:\\d+ rejected tcp_bw: limit: concurrent tests \\(2\\) reached"), e.getMessage());
            assertTrue(lo.logged("event=rejected", 1000) && lo.log.toString().contains("limit: concurrent tests (2) reached"), lo.log.toString());
            assertAllFreed(lo);
            // within the limit, served
            RunReport ok = Client.run(settings(lo, TestKind.TCP_BW, 0, 0.3, 2, false), line -> { });
            assertTrue(ok.results().get(0).bandwidth().bytes() > 0);
            assertTrue(lo.server.metrics().prometheusText().contains("netbench_limit_hits_total{limit=\"concurrent_tests\"} 1\n"));
        }
    }

    @Test
    void testDurationAndMessageSize() throws Exception {
        try (Loopback lo = new Loopback(BASE.withMaxTestDuration(Duration.ofSeconds(5)).withMaxMessageSize(64 * 1024))) {
            NetbenchException time = failure(lo, settings(lo, TestKind.TCP_LAT, 0, 10, 1, false));
            assertTrue(time.getMessage().endsWith("rejected tcp_lat: limit: test duration (5 s) exceeded: warm-up and duration ask for 10.1 s"),
                    time.getMessage());
            NetbenchException size = failure(lo, settings(lo, TestKind.TCP_BW, 128 * 1024, 0.2, 1, false));
            assertTrue(size.getMessage().endsWith("rejected tcp_bw: limit: message size (64 KiB) exceeded: asked for 128 KiB"), size.getMessage());
            NetbenchException udp = failure(lo, settings(lo, TestKind.UDP_LAT, 0, 10, 1, false));
            assertTrue(udp.getMessage().contains("limit: test duration (5 s) exceeded"), udp.getMessage());
            String http = new String(RawSocket.exchange(lo.httpPort(),
                    "GET /bytes/65537 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), true), StandardCharsets.US_ASCII);
            assertTrue(http.startsWith("HTTP/1.1 400 ") && http.contains("N must be 0..65536 (limit: message size)"), http);
            // at the limit: served
            assertTrue(Client.run(settings(lo, TestKind.TCP_BW, 64 * 1024, 0.2, 1, false), line -> { }).results().get(0).bandwidth().bytes() > 0);
            assertAllFreed(lo);
        }
    }

    @Test
    void bufferMemoryIsReservedAtHelloAndGivenBackAtClose() throws Exception {
        // three reverse streams of 1 MiB messages need 3 MiB + 15 bytes: two fit in 3 MiB, the third does not
        try (Loopback lo = new Loopback(BASE.withMaxBufferMemory(3 << 20))) {
            NetbenchException e = failure(lo, settings(lo, TestKind.TCP_BW, 1 << 20, 0.5, 3, true));
            assertTrue(e.getMessage().endsWith("limit: buffer memory (3 MiB) exhausted: 2.0 MiB held, this test needs 1.0 MiB"), e.getMessage());
            assertAllFreed(lo);
            // a receiver holds no message buffer: three forward streams of 1 MiB are fine
            assertEquals(3, Client.run(settings(lo, TestKind.TCP_BW, 1 << 20, 0.3, 3, false), line -> { })
                    .results().get(0).bandwidth().perStream().size());
            RunReport two = Client.run(settings(lo, TestKind.TCP_BW, 1 << 20, 0.3, 2, true), line -> { });
            assertTrue(two.results().get(0).bandwidth().bytes() > 0);
            assertAllFreed(lo);
            assertTrue(lo.server.metrics().prometheusText().contains("netbench_buffer_memory_bytes 0\n"));
        }
    }

    @Test
    void connectionsPerClientAddressOnBothTcpPorts() throws Exception {
        try (Loopback lo = new Loopback(BASE.withMaxConnectionsPerAddress(3))) {
            NetbenchException e = failure(lo, settings(lo, TestKind.TCP_BW, 0, 0.5, 4, false));
            assertTrue(e.getMessage().endsWith("rejected tcp_bw: limit: connections per client address (3) reached"), e.getMessage());
            assertAllFreed(lo);
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(new Socket("127.0.0.1", lo.httpPort()));
                }
                java.net.InetAddress local = java.net.InetAddress.getByName("127.0.0.1");
                for (int i = 0; i < 100 && lo.server.httpConnections().open(local) < 3; i++) {
                    Thread.sleep(10); // accepted by the agent, not only by the kernel
                }
                String refused = new String(RawSocket.exchange(lo.httpPort(),
                        "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false), StandardCharsets.US_ASCII);
                assertTrue(refused.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), refused);
                assertTrue(refused.endsWith("limit: connections per client address (3) reached\n"), refused);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            for (int i = 0; i < 100 && lo.server.httpConnections().addresses() > 0; i++) {
                Thread.sleep(20);
            }
            assertTrue(new String(RawSocket.exchange(lo.httpPort(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII), true), StandardCharsets.US_ASCII).endsWith("ok\n"), "served again once they closed");
        }
    }

    /** Reads until the server closes; returns the seconds that took. */
    private static double secondsUntilClosed(Socket s) throws IOException {
        long t0 = System.nanoTime();
        s.setSoTimeout(15_000);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            while (in.read(buf) >= 0) {
                // what came before the close does not matter here
            }
        } catch (SocketException reset) {
            // a reset is a close too
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    @Test
    void handshakeTimeoutCutsOffSilentAndTricklingClients() throws Exception {
        try (Loopback lo = new Loopback(BASE.withHandshakeTimeout(Duration.ofMillis(500)))) {
            try (Socket silent = new Socket("127.0.0.1", lo.port())) {
                double s = secondsUntilClosed(silent);
                assertTrue(s > 0.3 && s < 2, "closed after " + s + " s");
            }
            assertTrue(lo.logged("limit: handshake timeout (0.5 s) passed with no HELLO", 1000), lo.log.toString());
            // one byte every 100 ms keeps no idle timer from firing, but the deadline counts from the connect
            byte[] hello = Frames.hello(new TestSpec(TestKind.TCP_BW, 1000, 1_000_000_000L, 0, false, 0, 1));
            try (Socket trickle = new Socket("127.0.0.1", lo.port())) {
                long t0 = System.nanoTime();
                try {
                    for (int i = 0; i < hello.length - 1; i++) {
                        trickle.getOutputStream().write(hello[i]);
                        trickle.getOutputStream().flush();
                        Thread.sleep(100);
                    }
                } catch (IOException closed) {
                    // the server closed it: what we are waiting for
                }
                double s = secondsUntilClosed(trickle) + (System.nanoTime() - t0) / 1e9;
                assertTrue(s < 2.5, "a trickling client held its connection " + s + " s");
            }
            assertAllFreed(lo);
        }
    }

    @Test
    void idleTimeoutFreesATestWhoseClientWentQuiet() throws Exception {
        try (Loopback lo = new Loopback(BASE.withIdleTimeout(Duration.ofMillis(800)))) {
            try (Socket s = new Socket("127.0.0.1", lo.port())) {
                s.getOutputStream().write(Frames.hello(new TestSpec(TestKind.TCP_LAT, 100_000, 60_000_000_000L, 0, false, 0, 1)));
                assertEquals(FrameType.ACCEPT, Frames.read(new DataInputStream(s.getInputStream())).type());
                assertEquals(100_005, lo.server.admission().bufferBytes(), "the answer's buffer is reserved");
                double seconds = secondsUntilClosed(s);
                assertTrue(seconds > 0.5 && seconds < 3, "closed after " + seconds + " s");
            }
            assertTrue(lo.logged("limit: idle timeout (0.8 s) passed with nothing moving", 1000), lo.log.toString());
            assertAllFreed(lo);
            // a test that moves is not idle, however long it runs
            RunReport r = Client.run(settings(lo, TestKind.TCP_LAT, 0, 1.5, 1, false), line -> { });
            assertTrue(r.results().get(0).latency().roundTrips() > 0);
        }
    }

    @Test
    void httpSlowLorisAndIdleKeepAliveAreClosed() throws Exception {
        try (Loopback lo = new Loopback(BASE.withHandshakeTimeout(Duration.ofMillis(600)).withIdleTimeout(Duration.ofMillis(900)))) {
            // a request's headers trickled a byte every 100 ms: cut off at the deadline from its first byte
            try (Socket loris = new Socket("127.0.0.1", lo.httpPort())) {
                long t0 = System.nanoTime();
                byte[] head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
                try {
                    for (byte b : head) {
                        loris.getOutputStream().write(b);
                        Thread.sleep(100);
                    }
                } catch (IOException closed) {
                    // cut off
                }
                double s = secondsUntilClosed(loris) + (System.nanoTime() - t0) / 1e9;
                assertTrue(s < 2, "slow-loris held " + s + " s");
            }
            // a keep-alive connection served once, then left idle: closed after the idle timeout
            try (Socket idle = new Socket("127.0.0.1", lo.httpPort())) {
                idle.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                double s = secondsUntilClosed(idle);
                assertTrue(s > 0.6 && s < 3, "idle keep-alive closed after " + s + " s");
            }
            String metrics = lo.server.metrics().prometheusText();
            assertTrue(metrics.contains("netbench_limit_hits_total{limit=\"handshake_timeout\"} 1\n"), metrics);
            assertTrue(metrics.contains("netbench_limit_hits_total{limit=\"idle_timeout\"} 1\n"), metrics);
        }
    }
}
