package dev.netbench.it;

import dev.netbench.client.Client;
import dev.netbench.http.HttpLoad;
import dev.netbench.http.HttpLoadSettings;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;
import dev.netbench.report.Bandwidth;
import dev.netbench.report.HttpFigures;
import dev.netbench.report.Latency;
import dev.netbench.report.RunReport;
import dev.netbench.report.TestResult;
import dev.netbench.admission.Limits;
import dev.netbench.testing.Frames;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Garbage, slow-loris, silent and idle connections on all three listeners (TCP 7575, UDP 7575, HTTP 7580) while
 * valid tests of every kind run: each hostile connection is cut off within its limit, the valid tests all complete,
 * and their figures stay sane.
 */
class HostileListenersTest {
    private static final Duration HANDSHAKE = Duration.ofMillis(1500);
    private static final Duration IDLE = Duration.ofMillis(2500);
    /** How much later than its limit a hostile connection may be closed: the timers' own slack on a busy 2-core box. */
    private static final double SLACK_SECONDS = 1.5;

    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicLong hostileConnections = new AtomicLong();

    /** Reads until the peer closes; returns when that was, in seconds from {@code t0}. */
    private static double closedAfter(Socket s, long t0) throws IOException {
        s.setSoTimeout(20_000);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        try {
            while (in.read(buf) >= 0) {
                // answers (a 400, a REJECT) do not matter here, only the close
            }
        } catch (SocketException reset) {
            // a reset is a close too
        } catch (SocketTimeoutException e) {
            return Double.POSITIVE_INFINITY;
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Opens a connection, runs {@code attack} on it (which may find it closed), and checks the close came in time. */
    private void hostile(String what, int port, double limitSeconds, Attack attack) {
        hostileConnections.incrementAndGet();
        try (Socket s = new Socket("127.0.0.1", port)) {
            long t0 = System.nanoTime();
            try {
                attack.run(s);
            } catch (IOException closedUnderIt) {
                // the agent closed the connection while the attack went on
            }
            double seconds = closedAfter(s, t0);
            if (seconds > limitSeconds + SLACK_SECONDS) {
                problems.add(what + ": closed after " + seconds + " s, limit " + limitSeconds + " s");
            }
        } catch (IOException e) {
            problems.add(what + ": " + e);
        }
    }

    interface Attack {
        void run(Socket s) throws IOException;
    }

    private static void trickle(Socket s, byte[] bytes, long everyMillis) throws IOException {
        for (byte b : bytes) {
            s.getOutputStream().write(b);
            s.getOutputStream().flush();
            try {
                Thread.sleep(everyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Test
    void validTestsCompleteWithSaneFiguresWhileEveryListenerIsAttacked() throws Exception {
        Limits limits = Limits.defaults().withHandshakeTimeout(HANDSHAKE).withIdleTimeout(IDLE);
        try (Loopback lo = new Loopback(limits)) {
            int tcp = lo.port();
            int http = lo.httpPort();
            AtomicBoolean attacking = new AtomicBoolean(true);
            ExecutorService pool = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "hostile");
                t.setDaemon(true);
                return t;
            });
            List<Future<?>> attacks = new ArrayList<>();
            Random random = new Random(7575);
            double handshake = HANDSHAKE.toNanos() / 1e9;
            double idle = IDLE.toNanos() / 1e9;
            byte[] hello = Frames.hello(new TestSpec(TestKind.TCP_LAT, 1, 60_000_000_000L, 0, false, 0, 1));
            byte[] slowRequest = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            // waves of hostile connections on the two TCP listeners, for as long as the valid tests run
            attacks.add(pool.submit(() -> {
                for (int wave = 0; attacking.get() && wave < 6; wave++) {
                    List<Future<?>> waveOf = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        byte[] garbage = new byte[1 + random.nextInt(30_000)];
                        random.nextBytes(garbage);
                        if (i % 2 == 0) {
                            System.arraycopy(hello, 0, garbage, 0, Math.min(hello.length, 6)); // a valid preamble, then noise
                        }
                        waveOf.add(pool.submit(() -> hostile("tcp garbage", tcp, handshake, s -> s.getOutputStream().write(garbage))));
                        waveOf.add(pool.submit(() -> hostile("tcp slow-loris", tcp, handshake, s -> trickle(s, hello, 150))));
                        waveOf.add(pool.submit(() -> hostile("tcp silent", tcp, handshake, s -> { })));
                        waveOf.add(pool.submit(() -> hostile("tcp accepted, then silent", tcp, idle, s -> s.getOutputStream().write(hello))));
                        waveOf.add(pool.submit(() -> hostile("http garbage", http, handshake, s -> s.getOutputStream().write(garbage))));
                        waveOf.add(pool.submit(() -> hostile("http slow-loris", http, handshake, s -> trickle(s, slowRequest, 100))));
                        waveOf.add(pool.submit(() -> hostile("http idle keep-alive", http, idle,
                                s -> s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))));
                    }
                    for (Future<?> f : waveOf) {
                        try {
                            f.get(30, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            problems.add("attack: " + e);
                        }
                    }
                }
                return null;
            }));
            // and datagrams of noise at the UDP listener, from many ports
            AtomicLong datagrams = new AtomicLong();
            attacks.add(pool.submit(() -> {
                List<DatagramSocket> sockets = new ArrayList<>();
                try {
                    for (int i = 0; i < 16; i++) {
                        sockets.add(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
                    }
                    InetSocketAddress agent = new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp);
                    while (attacking.get()) {
                        for (DatagramSocket s : sockets) {
                            byte[] noise = new byte[1 + random.nextInt(1400)];
                            random.nextBytes(noise);
                            if (noise.length > 2 && random.nextBoolean()) {
                                noise[0] = (byte) 0x89; // netbench's UDP magic, then nonsense
                                noise[1] = 0x55;
                            }
                            s.send(new DatagramPacket(noise, noise.length, agent));
                            datagrams.incrementAndGet();
                        }
                        Thread.sleep(2);
                    }
                } finally {
                    sockets.forEach(DatagramSocket::close);
                }
                return null;
            }));
            Thread.sleep(300);
            // the valid tests: every TCP and UDP kind in turn, and HTTP load beside them all along
            CompletableFuture<HttpFigures> load = CompletableFuture.supplyAsync(() -> {
                try {
                    return HttpLoad.run(new HttpLoadSettings("127.0.0.1", http, "/", 0, 2, true, Duration.ofSeconds(6), 200, 1,
                            Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            RunReport run = Client.run(lo.settings(List.of(TestKind.TCP_BW, TestKind.TCP_LAT, TestKind.TCP_CRR, TestKind.UDP_LAT,
                    TestKind.UDP_BW), List.of(), 1.2, 1, false, 100_000_000L), line -> { });
            HttpFigures httpFigures = load.get(20, TimeUnit.SECONDS);
            attacking.set(false);
            for (Future<?> f : attacks) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdownNow();

            assertTrue(problems.isEmpty(), problems.toString());
            assertEquals(5, run.results().size());
            for (TestResult r : run.results()) {
                double seconds = r.bandwidth() != null ? r.bandwidth().seconds() : r.latency() != null ? r.latency().seconds()
                        : r.connectRate().seconds();
                assertTrue(seconds > 1.0 && seconds < 1.6, r.test() + " measured " + seconds + " s of 1.2");
            }
            Bandwidth bw = run.results().get(0).bandwidth();
            assertTrue(bw.bitsPerSecond() > 50e6, "tcp_bw " + bw.bitsPerSecond());
            Latency lat = run.results().get(1).latency();
            assertTrue(lat.roundTrips() > 200 && lat.rtt().p50() < 20_000, "tcp_lat " + lat);
            assertTrue(run.results().get(2).connectRate().transactions() > 50, "tcp_crr " + run.results().get(2).connectRate());
            assertEquals(0, run.results().get(2).connectRate().failed(), "tcp_crr lost transactions");
            Latency udpLat = run.results().get(3).latency();
            assertTrue(udpLat.roundTrips() > 200 && udpLat.lost() * 20 <= udpLat.roundTrips(), "udp_lat " + udpLat);
            Bandwidth udpBw = run.results().get(4).bandwidth();
            assertTrue(udpBw.datagrams().lostPercent() < 5 && udpBw.bitsPerSecond() > 50e6, "udp_bw " + udpBw);
            assertEquals(0, httpFigures.failed(), "http failures under attack");
            assertTrue(httpFigures.complete() > 900, "http requests " + httpFigures.complete());
            // nothing hostile is left holding anything
            for (int i = 0; i < 200 && (lo.server.admission().tests() > 0 || lo.server.testConnections().addresses() > 0
                    || lo.server.httpConnections().addresses() > 0); i++) {
                Thread.sleep(20);
            }
            assertEquals(0, lo.server.admission().tests());
            assertEquals(0, lo.server.testConnections().addresses());
            assertEquals(0, lo.server.httpConnections().addresses());
            System.out.printf("fault: %d hostile connections (garbage, slow-loris, silent, idle) and %d noise datagrams during "
                            + "%d valid tests and %d HTTP requests: every hostile connection cut off in time, no valid test lost%n",
                    hostileConnections.get(), datagrams.get(), run.results().size(), httpFigures.complete());
        }
    }
}
