package dev.netbench.it;

import dev.netbench.protocol.Fields;
import dev.netbench.protocol.FrameType;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;
import dev.netbench.admission.Limits;
import dev.netbench.testing.Frames;
import org.junit.jupiter.api.Test;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 500 connections at once against an agent that allows 450 per client address and 400 tests: the 50 beyond the
 * address limit and the 50 beyond the test limit are rejected, each with the limit named, and the 400 others all run
 * a tcp_lat test to its end, at the same time, with figures that agree at both ends.
 */
class ManyConnectionsTest {
    private static final int CONNECTIONS = 500;
    private static final int PER_ADDRESS = 450;
    private static final int TESTS = 400;
    private static final long TEST_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    @Test
    void fiveHundredAtOnceRejectedBeyondTheLimitsAndTheRestServed() throws Exception {
        Limits limits = Limits.defaults().withMaxConnectionsPerAddress(PER_ADDRESS).withMaxTests(TESTS);
        try (Loopback lo = new Loopback(limits)) {
            InetSocketAddress agent = new InetSocketAddress("127.0.0.1", lo.port());
            java.net.InetAddress local = java.net.InetAddress.getByName("127.0.0.1");
            // released once the agent itself (not only the kernel's backlog) has taken every connection in
            CyclicBarrier allConnected = new CyclicBarrier(CONNECTIONS, () -> {
                for (int i = 0; i < 1000 && lo.server.testConnections().open(local)
                        + lo.server.metrics().limitHits("connections_per_address") < CONNECTIONS; i++) {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
            CountDownLatch allAnswered = new CountDownLatch(CONNECTIONS);
            Map<String, AtomicInteger> rejects = new ConcurrentHashMap<>();
            AtomicInteger served = new AtomicInteger();
            AtomicInteger agreed = new AtomicInteger();
            List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            byte[] hello = Frames.hello(new TestSpec(TestKind.TCP_LAT, 1, TEST_NANOS, 0, false, 0, 1));
            byte[] mark = Frames.control(FrameType.MARK, Fields.EMPTY);
            byte[] end = Frames.control(FrameType.END, Fields.EMPTY);
            byte[] ping = Frames.message(1);
            List<Thread> threads = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < CONNECTIONS; i++) {
                Thread t = new Thread(() -> {
                    boolean answered = false;
                    try (Socket s = new Socket()) {
                        s.setTcpNoDelay(true);
                        s.setSoTimeout(20_000);
                        s.connect(agent, 10_000);
                        // every connection is open before any HELLO goes: the address limit is met at accept, in full
                        allConnected.await(20, TimeUnit.SECONDS);
                        OutputStream out = new BufferedOutputStream(s.getOutputStream());
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        out.write(hello);
                        out.flush();
                        Frames.Frame answer = Frames.read(in);
                        answered = true;
                        allAnswered.countDown();
                        if (answer.type() == FrameType.REJECT) {
                            rejects.computeIfAbsent(answer.fields().require("reason"), r -> new AtomicInteger()).incrementAndGet();
                            allAnswered.await(30, TimeUnit.SECONDS);
                            return;
                        }
                        assertEquals(FrameType.ACCEPT, answer.type());
                        // all 400 accepted tests run together, once every connection has its answer
                        allAnswered.await(30, TimeUnit.SECONDS);
                        out.write(mark);
                        long pings = 0;
                        long stop = System.nanoTime() + TEST_NANOS;
                        while (System.nanoTime() < stop) {
                            out.write(ping);
                            out.flush();
                            Frames.Frame pong = Frames.read(in, 1);
                            if (pong.type() != null || pong.size() != 1) {
                                throw new AssertionError("expected a 1-byte pong, got " + pong);
                            }
                            pings++;
                        }
                        out.write(end);
                        out.flush();
                        Frames.Frame result = Frames.read(in);
                        assertEquals(FrameType.RESULT, result.type());
                        served.incrementAndGet();
                        if (result.fields().requireLong("messages_received") == pings && result.fields().requireLong("messages_sent") == pings
                                && pings > 0) {
                            agreed.incrementAndGet();
                        } else {
                            errors.add("server counted " + result.fields() + ", client " + pings);
                        }
                    } catch (Throwable e) {
                        errors.add(e.toString());
                    } finally {
                        if (!answered) {
                            allAnswered.countDown();
                        }
                    }
                }, "conn-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(60_000);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(errors.isEmpty(), errors.size() + " errors, e.g. " + errors.stream().limit(5).collect(Collectors.toList()));
            Map<String, Integer> why = rejects.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
            assertEquals(Map.of("limit: connections per client address (450) reached", CONNECTIONS - PER_ADDRESS,
                    "limit: concurrent tests (400) reached", PER_ADDRESS - TESTS), why);
            assertEquals(TESTS, served.get(), "every admitted test ran to its RESULT");
            assertEquals(TESTS, agreed.get(), "both ends counted the same messages");
            // everything given back
            for (int i = 0; i < 200 && (lo.server.admission().tests() > 0 || lo.server.testConnections().addresses() > 0); i++) {
                Thread.sleep(20);
            }
            assertEquals(0, lo.server.admission().tests());
            assertEquals(0, lo.server.admission().bufferBytes());
            assertEquals(0, lo.server.testConnections().addresses());
            System.out.printf("fault: %d connections open at once, %d tests served to the end at once, %d rejected by limit (%s), in %.1f s%n",
                    CONNECTIONS, served.get(), CONNECTIONS - served.get(), why, seconds);
        }
    }
}
