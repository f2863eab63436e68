package dev.netbench.iperf3;

import dev.netbench.report.Bandwidth;
import dev.netbench.report.TestResult;
import dev.netbench.server.NetbenchServer;
import dev.netbench.server.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** netbench's iperf3 client against the real iperf3 server (Debian's 3.12), and against netbench's own iperf3 side. */
class Iperf3ClientInteropTest {
    static Process iperf3;
    static int port;
    /** One permit per "Server listening": iperf3 -s closes its listener after each test and opens it again. */
    static final Semaphore listening = new Semaphore(0);

    @BeforeAll
    static void startServer() throws IOException, InterruptedException {
        String binary = RealIperf3.binary();
        port = RealIperf3.freePort();
        iperf3 = new ProcessBuilder(binary, "-s", "--forceflush", "-B", "127.0.0.1", "-p", String.valueOf(port)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(iperf3.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String line;
        while ((line = out.readLine()) != null && !line.contains("Server listening")) {
            if (System.nanoTime() > deadline) {
                fail("iperf3 -s did not start: " + line);
            }
        }
        listening.release();
        Thread drain = new Thread(() -> {
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    // the server's own report of each test is not needed here, only when it listens again
                    if (l.contains("Server listening")) {
                        listening.release();
                    }
                }
            } catch (IOException ignored) {
                // stopped
            }
        });
        drain.setDaemon(true);
        drain.start();
    }

    @AfterAll
    static void stopServer() {
        if (iperf3 != null) {
            iperf3.destroy();
        }
    }

    private static Iperf3Client.Run run(int port, boolean udp, int parallel, boolean reverse) throws InterruptedException {
        return run(port, udp, parallel, reverse, udp ? 100_000_000 : 0);
    }

    private static Iperf3Client.Run run(int port, boolean udp, int parallel, boolean reverse, long bitsPerSecond)
            throws InterruptedException {
        if (port == Iperf3ClientInteropTest.port && !listening.tryAcquire(10, TimeUnit.SECONDS)) {
            fail("iperf3 -s did not listen again");
        }
        return Iperf3Client.run(new Iperf3Client.Settings("127.0.0.1", port, udp, parallel, reverse, 1, 0,
                udp ? 1400 : 128 * 1024, bitsPerSecond, 5000, 0), line -> { });
    }

    private static Bandwidth bandwidth(Iperf3Client.Run run) {
        assertEquals(1, run.report().results().size());
        TestResult r = run.report().results().get(0);
        assertTrue(r.bandwidth().bytes() > 0, r::toString);
        assertTrue(r.bandwidth().bitsPerSecond() > 0);
        return r.bandwidth();
    }

    @Test
    void tcp() throws InterruptedException {
        Bandwidth b = bandwidth(run(port, false, 1, false));
        // the receiver (the iperf3 server) counted what was sent, less what was in flight at TEST_END
        assertTrue(b.bytes() <= b.bytesSent() && b.bytes() > 0.9 * b.bytesSent(), b::toString);
    }

    @Test
    void tcpParallelReverse() throws InterruptedException {
        Iperf3Client.Run run = run(port, false, 2, true);
        Bandwidth b = bandwidth(run);
        assertEquals(2, b.perStream().size());
        b.perStream().forEach(s -> assertTrue(s.bytes() > 0, s::toString));
        assertTrue(run.summary().streams().get(0).sender().bytes() >= b.perStream().get(0).bytes());
    }

    @Test
    void udp() throws InterruptedException {
        Bandwidth b = bandwidth(run(port, true, 1, false));
        assertTrue(b.datagrams().received() > 5000, b::toString);
        assertTrue(b.datagrams().lostPercent() < 20, b::toString);
        // 100 Mbit/s asked for: what was sent is within 10 % of it
        assertTrue(Math.abs(b.datagrams().sendBitsPerSecond() - 1e8) < 1e7, b::toString);
    }

    @Test
    void tcpPacedToTheRateAsked() throws InterruptedException {
        // what iperf3 -s received: 200 Mbit/s within 10 % (unpaced, loopback carries tens of Gbit/s)
        Bandwidth b = bandwidth(run(port, false, 1, false, 200_000_000));
        assertEquals(2e8, b.bitsPerSecond(), 2e7, b::toString);
    }

    @Test
    void udpReverse() throws InterruptedException {
        Bandwidth b = bandwidth(run(port, true, 1, true));
        assertTrue(b.datagrams().received() > 5000, b::toString);
        assertTrue(Math.abs(b.bitsPerSecond() - 1e8) < 2e7, b::toString);
    }

    @Test
    void jsonIperf3ShapeOfARun() throws InterruptedException {
        Iperf3Client.Run run = run(port, false, 1, false);
        var doc = dev.netbench.json.Json.parseObject(Iperf3Json.format(run.summary(), run.report().local()));
        double received = RealIperf3.number(RealIperf3.object(doc, "end", "sum_received"), "bits_per_second");
        assertEquals(run.report().results().get(0).bandwidth().bitsPerSecond(), received, received * 1e-9);
        assertEquals("TCP", RealIperf3.object(doc, "start", "test_start").get("protocol"));
        assertTrue(((java.util.List<?>) doc.get("intervals")).size() >= 1);
    }

    @Test
    void againstNetbenchsOwnIperf3Side() throws InterruptedException {
        try (NetbenchServer agent = NetbenchServer.start(new ServerOptions(InetAddress.getLoopbackAddress(), 0, 0, 2, null, false), line -> { })) {
            int agentPort = agent.address().getPort();
            bandwidth(run(agentPort, false, 2, false));
            Bandwidth udp = bandwidth(run(agentPort, true, 1, true));
            assertTrue(udp.datagrams().received() > 5000, udp::toString);
        }
    }
}
