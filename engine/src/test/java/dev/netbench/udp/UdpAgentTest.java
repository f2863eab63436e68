package dev.netbench.udp;

import dev.netbench.host.Identity;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's UDP side under hand-made datagrams: nothing unvalidated gets an answer larger than itself, garbage
 * gets nothing, and a reverse stream stops when its client goes quiet.
 */
class UdpAgentTest {
    private final List<String> log = new CopyOnWriteArrayList<>();
    private NetbenchServer server;
    private InetSocketAddress agent;
    private DatagramSocket socket;
    private long bytesIn;
    private long bytesOut;

    @BeforeEach
    void start() throws Exception {
        server = NetbenchServer.start(new ServerOptions(InetAddress.getLoopbackAddress(), 0, 0, 1, null, false), log::add);
        agent = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.address().getPort());
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setSoTimeout(300);
    }

    @AfterEach
    void stop() {
        socket.close();
        server.close();
    }

    private void send(ByteBuf datagram) throws IOException {
        byte[] bytes = ByteBufUtil.getBytes(datagram);
        datagram.release();
        send(bytes);
    }

    private void send(byte[] bytes) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, agent));
        bytesIn += bytes.length;
    }

    /** Everything the agent sends within {@code millis}; each answer counted in bytesOut. */
    private List<ByteBuf> receive(long millis) throws IOException {
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
            bytesOut += p.getLength();
            got.add(Unpooled.copiedBuffer(buf, 0, p.getLength()));
        }
        return got;
    }

    private static UdpSpec spec(TestKind kind, boolean reverse, double seconds) {
        return new UdpSpec(new TestSpec(kind, kind.defaultMsgSize(), (long) (seconds * 1e9), 0, reverse, 0, 1), 1_000_000, 0);
    }

    private static ByteBuf hello(UdpSpec spec, long nonce, String cookie) {
        return Datagram.control(ByteBufAllocator.DEFAULT, DatagramType.HELLO, 0, spec.toFields(Identity.local(), nonce, cookie));
    }

    /** Runs the cookie round trip; returns the session id from ACCEPT. */
    private int validate(UdpSpec spec, long nonce) throws IOException {
        send(hello(spec, nonce, null));
        List<ByteBuf> cookie = receive(300);
        assertEquals(1, cookie.size());
        assertEquals(DatagramType.COOKIE, Datagram.type(cookie.get(0)));
        send(hello(spec, nonce, Datagram.fields(cookie.get(0)).require("cookie")));
        List<ByteBuf> accept = receive(300);
        assertEquals(1, accept.size());
        assertEquals(DatagramType.ACCEPT, Datagram.type(accept.get(0)));
        return Datagram.session(accept.get(0));
    }

    @Test
    void unvalidatedDatagramsNeverGetMoreBytesThanTheySent() throws IOException {
        Random random = new Random(7);
        // garbage of every small size, and each type with a made-up session
        for (int size : new int[]{0, 1, 2, 19, 20, 21, 100, 1400, 65507}) {
            byte[] noise = new byte[size];
            random.nextBytes(noise);
            send(noise);
        }
        for (DatagramType type : DatagramType.values()) {
            if (type != DatagramType.HELLO) {
                send(Datagram.control(ByteBufAllocator.DEFAULT, type, random.nextInt(), Fields.EMPTY));
                send(Datagram.traffic(ByteBufAllocator.DEFAULT, type, random.nextInt(), 1, 2, true, 1400));
            }
        }
        // a HELLO too small to answer with a cookie, a malformed one, and one with a forged cookie
        send(Datagram.control(ByteBufAllocator.DEFAULT, DatagramType.HELLO, 0, Fields.builder().put("nonce", 1).build()));
        ByteBuf malformed = Datagram.control(ByteBufAllocator.DEFAULT, DatagramType.HELLO, 0, Fields.EMPTY).writeBytes(new byte[300]);
        send(malformed);
        send(hello(spec(TestKind.UDP_BW, true, 5), 9, "00".repeat(16)));
        List<ByteBuf> answers = receive(500);
        assertEquals(1, answers.size(), "only the forged-cookie HELLO is answered, with a fresh cookie");
        assertEquals(DatagramType.COOKIE, Datagram.type(answers.get(0)));
        assertTrue(bytesOut <= bytesIn, bytesOut + " bytes out for " + bytesIn + " in");
        assertTrue(log.stream().anyMatch(l -> l.startsWith("event=udp_dropped")), log.toString());
        assertTrue(log.stream().filter(l -> l.startsWith("event=udp_dropped")).count() <= 2, "drops are not logged one by one: " + log);
    }

    @Test
    void everyCookieIsSmallerThanTheHelloItAnswers() throws IOException {
        for (int i = 0; i < 20; i++) {
            ByteBuf hello = hello(spec(TestKind.UDP_LAT, false, 1), i, null);
            int size = hello.readableBytes();
            send(hello);
            List<ByteBuf> answers = receive(100);
            assertEquals(1, answers.size());
            assertTrue(answers.get(0).readableBytes() <= size, answers.get(0).readableBytes() + " > " + size);
        }
    }

    @Test
    void aValidatedClientGetsItsTestAndEchoesAreTheSameSize() throws IOException {
        int session = validate(spec(TestKind.UDP_LAT, false, 2), 11);
        for (int i = 0; i < 5; i++) {
            send(Datagram.traffic(ByteBufAllocator.DEFAULT, DatagramType.PING, session, i, 0, true, 64));
            List<ByteBuf> pong = receive(200);
            assertEquals(1, pong.size());
            assertEquals(DatagramType.PONG, Datagram.type(pong.get(0)));
            assertEquals(64, pong.get(0).readableBytes());
            assertEquals(i, Datagram.seq(pong.get(0)));
        }
        send(Datagram.control(ByteBufAllocator.DEFAULT, DatagramType.END, session, Fields.EMPTY));
        List<ByteBuf> result = receive(300);
        assertEquals(DatagramType.RESULT, Datagram.type(result.get(0)));
        assertEquals(5, Datagram.fields(result.get(0)).requireLong("messages_received"));
    }

    @Test
    void aReverseStreamStartsOnlyForItsValidatedAddressAndStopsWhenTheClientGoesQuiet() throws Exception {
        int session = validate(spec(TestKind.UDP_BW, true, 60), 12);
        // START from another port (a spoofer who saw the session id) starts nothing there
        try (DatagramSocket other = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            other.setSoTimeout(500);
            ByteBuf startBuf = Datagram.control(ByteBufAllocator.DEFAULT, DatagramType.START, session, Fields.EMPTY);
            byte[] start = ByteBufUtil.getBytes(startBuf);
            startBuf.release();
            other.send(new DatagramPacket(start, start.length, agent));
            byte[] buf = new byte[2048];
            assertThrows(SocketTimeoutException.class, () -> other.receive(new DatagramPacket(buf, buf.length)));
        }
        assertEquals(0, receive(300).size(), "nothing for the validated client either: it did not ask");
        send(Datagram.control(ByteBufAllocator.DEFAULT, DatagramType.START, session, Fields.EMPTY));
        List<ByteBuf> first = receive(1000);
        assertTrue(first.size() > 10, "the stream runs at 1 Mbit/s: " + first.size());
        // no KEEPALIVE from now on: the agent stops within its consent timeout (3 s) and says why in its log
        receive((int) TimeUnit.NANOSECONDS.toMillis(ServerSession.CONSENT_NANOS) + 1000);
        assertEquals(0, receive(1000).size(), "still sending after the client went quiet");
        String closed = log.stream().filter(l -> l.startsWith("event=closed")).findFirst().orElse(null);
        assertNotNull(closed, log.toString());
        assertTrue(closed.contains("no KEEPALIVE"), closed);
    }

    private static <T extends Throwable> void assertThrows(Class<T> type, org.junit.jupiter.api.function.Executable e) {
        org.junit.jupiter.api.Assertions.assertThrows(type, e);
    }
}
