package dev.netbench.udp;

import dev.netbench.client.Client;
import dev.netbench.client.ClientSettings;
import dev.netbench.host.Identity;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;
import dev.netbench.report.Datagrams;
import dev.netbench.report.Latency;
import dev.netbench.report.TestResult;
import dev.netbench.server.NetbenchServer;
import dev.netbench.server.ServerOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Garbage from a source that has echoed its cookie and has a test running: a real agent on loopback, two hostile
 * sockets that complete the cookie exchange and then send malformed END, short and out-of-place DATA, datagrams of
 * the wrong type and plain noise, while a real client runs udp_lat and udp_bw beside them. Only the hostile tests
 * end, each logged once with its reason; no datagram gets more than one answer (no amplification), nothing after
 * its test is closed gets any; the other tests finish clean.
 */
class UdpValidatedHostileTest {
    private final List<String> log = new CopyOnWriteArrayList<>();
    private NetbenchServer server;
    private InetSocketAddress agent;

    @BeforeEach
    void start() throws Exception {
        server = NetbenchServer.start(new ServerOptions(InetAddress.getLoopbackAddress(), 0, 0, 1, null, false), log::add);
        agent = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.address().getPort());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** One hostile source: its socket, and the datagrams it sent and got. */
    private final class Source implements AutoCloseable {
        final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        int sent;

        Source() throws IOException {
            socket.setSoTimeout(100);
        }

        void send(ByteBuf datagram) throws IOException {
            byte[] bytes = ByteBufUtil.getBytes(datagram);
            datagram.release();
            send(bytes);
        }

        void send(byte[] bytes) throws IOException {
            socket.send(new DatagramPacket(bytes, bytes.length, agent));
            sent++;
        }

        List<ByteBuf> receive(long millis) throws IOException {
            List<ByteBuf> got = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            byte[] buf = new byte[65536];
            while (System.nanoTime() < end) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                got.add(Unpooled.copiedBuffer(buf, 0, p.getLength()));
            }
            return got;
        }

        /** The cookie round trip for a test of {@code seconds}; returns the session id from ACCEPT. */
        int validate(TestKind kind, double seconds, long nonce) throws IOException {
            UdpSpec spec = new UdpSpec(new TestSpec(kind, kind.defaultMsgSize(), (long) (seconds * 1e9), 0, false, 0, 1), 1_000_000, 0);
            send(Datagram.control(ByteBufAllocator.DEFAULT, DatagramType.HELLO, 0, spec.toFields(Identity.local(), nonce, null)));
            List<ByteBuf> cookie = receive(300);
            assertEquals(DatagramType.COOKIE, Datagram.type(cookie.get(0)));
            send(Datagram.control(ByteBufAllocator.DEFAULT, DatagramType.HELLO, 0,
                    spec.toFields(Identity.local(), nonce, Datagram.fields(cookie.get(0)).require("cookie"))));
            List<ByteBuf> accept = receive(300);
            assertEquals(1, accept.size());
            assertEquals(DatagramType.ACCEPT, Datagram.type(accept.get(0)));
            return Datagram.session(accept.get(0));
        }

        String peer() {
            return "/127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** A datagram with a valid header for {@code session} and random bytes where its fields should be. */
    private static ByteBuf withNoise(DatagramType type, int session, Random random, int bodyBytes) {
        byte[] body = new byte[bodyBytes];
        random.nextBytes(body);
        return Datagram.control(ByteBufAllocator.DEFAULT, type, session, Fields.EMPTY).writeBytes(body);
    }

    private CompletableFuture<TestResult> bystander(TestKind kind, long bitsPerSecond) {
        ClientSettings s = new ClientSettings("127.0.0.1", agent.getPort(), List.of(kind), List.of(), Duration.ofSeconds(3),
                Duration.ofMillis(200), 1, false, Duration.ZERO, Duration.ofSeconds(5), null, bitsPerSecond);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Client.run(s, line -> { }).results().get(0);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void garbageAfterValidationEndsOnlyThatTestAndIsAnsweredAtMostOncePerDatagram() throws Exception {
        CompletableFuture<TestResult> lat = bystander(TestKind.UDP_LAT, 0);
        CompletableFuture<TestResult> bw = bystander(TestKind.UDP_BW, 20_000_000);
        Random random = new Random(15);
        try (Source echo = new Source(); Source data = new Source()) {
            // a validated udp_lat test: answered while it behaves
            int e = echo.validate(TestKind.UDP_LAT, 10, 101);
            echo.send(Datagram.traffic(ByteBufAllocator.DEFAULT, DatagramType.PING, e, 1, 0, true, 64));
            assertEquals(DatagramType.PONG, Datagram.type(echo.receive(200).get(0)));
            int before = echo.sent;
            // an END whose fields are noise: the agent reads none of them, so this is the test's end and gets its RESULT
            echo.send(withNoise(DatagramType.END, e, random, 300));
            List<ByteBuf> result = echo.receive(300);
            assertEquals(1, result.size(), "one RESULT for one END");
            assertEquals(DatagramType.RESULT, Datagram.type(result.get(0)));
            assertEquals(1, Datagram.fields(result.get(0)).requireLong("messages_received"), "the one PING before it");
            // a PING after END is not echoed; DATA does not belong to udp_lat: a protocol error that closes the test
            echo.send(Datagram.traffic(ByteBufAllocator.DEFAULT, DatagramType.PING, e, 2, 0, true, 1400));
            echo.send(Datagram.traffic(ByteBufAllocator.DEFAULT, DatagramType.DATA, e, 3, 0, true, 20));
            sendGarbage(echo, e, random);
            List<ByteBuf> after = echo.receive(500);
            assertEquals(List.of(), after.stream().map(Datagram::type).toList(), "nothing answers garbage after END and the close");
            assertTrue(echo.sent - before >= 20, "garbage was sent");

            // a validated forward udp_bw test fed short DATA, wild sequence numbers, a noise END, then a START it never asked for
            int d = data.validate(TestKind.UDP_BW, 10, 102);
            before = data.sent;
            int[] seqs = {0, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 1, 65536 * 3};
            for (int seq : seqs) {
                data.send(Datagram.traffic(ByteBufAllocator.DEFAULT, DatagramType.DATA, d, seq, random.nextLong(), true, 20 + random.nextInt(40)));
            }
            data.send(Datagram.traffic(ByteBufAllocator.DEFAULT, DatagramType.DATA, d, 7, -1, true, Datagram.MAX));
            data.send(withNoise(DatagramType.END, d, random, 17));
            List<ByteBuf> bwResult = data.receive(300);
            assertEquals(1, bwResult.size());
            assertEquals(DatagramType.RESULT, Datagram.type(bwResult.get(0)));
            data.send(Datagram.control(ByteBufAllocator.DEFAULT, DatagramType.START, d, Fields.EMPTY));
            sendGarbage(data, d, random);
            assertEquals(List.of(), data.receive(500).stream().map(Datagram::type).toList(), "nothing after the close");
            assertTrue(data.sent - before >= 20);

            // each hostile test ended once, with its reason (that nothing escapes the agent's handler is UdpAgentFuzzTest's)
            assertEquals(1, log.stream().filter(l -> l.startsWith("event=closed peer=" + echo.peer() + " test=udp_lat reason=\"protocol error: DATA does not belong to udp_lat\"")).count(), log.toString());
            assertEquals(1, log.stream().filter(l -> l.startsWith("event=closed peer=" + data.peer() + " test=udp_bw reason=\"protocol error: START does not belong to udp_bw\"")).count(), log.toString());
            assertEquals(2, log.stream().filter(l -> l.startsWith("event=closed ")).count(), "only the hostile tests closed: " + log);
            assertTrue(log.stream().filter(l -> l.startsWith("event=udp_dropped")).count() <= 1, "drops are rate-limited: " + log);
        }
        // the tests beside them ran to the end, complete and clean
        Latency l = lat.get(20, TimeUnit.SECONDS).latency();
        assertTrue(l.roundTrips() > 100, "udp_lat round trips " + l.roundTrips());
        // loopback UDP may drop a datagram when the udp_bw neighbour fills a socket buffer on a busy host; garbage
        // that broke the test would lose every round trip after it
        assertTrue(l.lost() <= Math.max(1, l.roundTrips() / 1000), "udp_lat lost " + l.lost() + " of " + l.roundTrips());
        Datagrams g = bw.get(20, TimeUnit.SECONDS).bandwidth().datagrams();
        assertTrue(g.received() > 1000 && g.lostPercent() < 2, "udp_bw beside them: " + g);
        assertEquals(4, log.stream().filter(x -> x.startsWith("event=served test=udp_")).count(), "two bystanders, two hostile ENDs: " + log);
    }

    /** Every type with the right session id, short, long and noisy, and datagrams that are not netbench's at all. */
    private static void sendGarbage(Source s, int session, Random random) throws IOException {
        for (DatagramType type : DatagramType.values()) {
            s.send(withNoise(type, session, random, random.nextInt(64)));
            s.send(Datagram.traffic(ByteBufAllocator.DEFAULT, type == DatagramType.HELLO ? DatagramType.PING : type, session,
                    random.nextInt(), random.nextLong(), random.nextBoolean(), 20));
        }
        for (int size : new int[]{0, 1, 19, 20, 21, 1400}) {
            byte[] noise = new byte[size];
            random.nextBytes(noise);
            if (size >= 3) {
                noise[0] = (byte) 0x89; // netbench's magic with an unknown type
                noise[1] = 0x55;
                noise[2] = (byte) (15 + random.nextInt(200));
            }
            s.send(noise);
        }
    }
}
