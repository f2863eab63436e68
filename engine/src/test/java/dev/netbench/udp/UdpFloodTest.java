package dev.netbench.udp;

import dev.netbench.client.Client;
import dev.netbench.client.ClientSettings;
import dev.netbench.host.Identity;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;
import dev.netbench.report.Latency;
import dev.netbench.report.RunReport;
import dev.netbench.admission.Limits;
import dev.netbench.server.NetbenchServer;
import dev.netbench.server.ServerOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
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
 * The UDP listener's anti-amplification rules under load: thousands of datagrams from 200 source addresses and
 * ports (127.0.0.2 and up: spoofed-looking sources that never echo a cookie) while valid UDP tests run. No source
 * ever gets more bytes back than it sent, only COOKIEs are ever answered, no session is made, and the valid tests
 * complete with sane figures.
 */
class UdpFloodTest {
    private static final int ADDRESSES = 40;
    private static final int PORTS_PER_ADDRESS = 5;
    private static final int ROUNDS = 30;

    private final List<String> log = new CopyOnWriteArrayList<>();

    /** One spoofed-looking source: its socket and what went each way. */
    private static final class Source {
        final DatagramSocket socket;
        long bytesIn;
        long bytesOut;
        long answers;
        long nonCookies;

        Source(DatagramSocket socket) {
            this.socket = socket;
        }
    }

    private static byte[] bytes(ByteBuf b) {
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    /** Round {@code round}'s datagram from a source: every kind an attacker could send without a cookie. */
    private static byte[] datagram(Random random, int round) {
        UdpSpec reverse = new UdpSpec(new TestSpec(TestKind.UDP_BW, 1400, 60_000_000_000L, 0, true, 0, 1), 10_000_000_000L, 0);
        return switch (round % 10) {
            case 0 -> bytes(Datagram.control(ByteBufAllocator.DEFAULT, DatagramType.HELLO, 0,
                    reverse.toFields(Identity.local(), random.nextLong(), null)));                     // a fair HELLO: a COOKIE back
            case 1 -> bytes(Datagram.control(ByteBufAllocator.DEFAULT, DatagramType.HELLO, 0,
                    Fields.builder().put("nonce", random.nextInt()).build()));                          // too small to answer
            case 2 -> bytes(Datagram.control(ByteBufAllocator.DEFAULT, DatagramType.HELLO, 0,
                    reverse.toFields(Identity.local(), random.nextLong(), Long.toHexString(random.nextLong()).repeat(4))));  // forged cookie
            case 3 -> bytes(Datagram.control(ByteBufAllocator.DEFAULT, DatagramType.START, random.nextInt(), Fields.EMPTY));
            case 4 -> bytes(Datagram.traffic(ByteBufAllocator.DEFAULT, DatagramType.PING, random.nextInt(), round, 0, true, 1400));
            case 5 -> bytes(Datagram.traffic(ByteBufAllocator.DEFAULT, DatagramType.DATA, random.nextInt(), round, 0, true, 8000));
            case 6 -> bytes(Datagram.control(ByteBufAllocator.DEFAULT, DatagramType.END, random.nextInt(), Fields.EMPTY));
            case 7 -> {
                byte[] noise = new byte[random.nextInt(3)];                                           // empty and tiny
                random.nextBytes(noise);
                yield noise;
            }
            case 8 -> {
                byte[] noise = new byte[20 + random.nextInt(1400)];                                   // magic, then noise
                random.nextBytes(noise);
                noise[0] = (byte) 0x89;
                noise[1] = 0x55;
                yield noise;
            }
            default -> {
                byte[] noise = new byte[random.nextInt(4) == 0 ? 65507 : 1 + random.nextInt(1400)];
                random.nextBytes(noise);
                yield noise;
            }
        };
    }

    @Test
    void thousandsOfUnvalidatedDatagramsFromManySourcesGetNoMoreThanTheySent() throws Exception {
        try (NetbenchServer server = NetbenchServer.start(new ServerOptions(InetAddress.getLoopbackAddress(), 0, 0, 2, null, false), log::add)) {
            InetSocketAddress agent = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.address().getPort());
            List<Source> sources = new ArrayList<>();
            for (int a = 0; a < ADDRESSES; a++) {
                InetAddress address = InetAddress.getByName("127.0.0." + (2 + a));
                for (int p = 0; p < PORTS_PER_ADDRESS; p++) {
                    DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, 0));
                    s.setReceiveBufferSize(1 << 20);
                    sources.add(new Source(s));
                }
            }
            // valid UDP tests from 127.0.0.1 all through the flood
            ClientSettings valid = new ClientSettings("127.0.0.1", agent.getPort(), List.of(TestKind.UDP_LAT, TestKind.UDP_BW),
                    List.of(), Duration.ofMillis(1500), Duration.ofMillis(100), 1, false, Duration.ZERO, Duration.ofSeconds(5), null, 50_000_000);
            CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return Client.run(valid, line -> { });
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Random random = new Random(11);
            long sent = 0;
            long t0 = System.nanoTime();
            for (int round = 0; round < ROUNDS; round++) {
                for (Source s : sources) {
                    byte[] d = datagram(random, round + sources.indexOf(s));
                    s.socket.send(new DatagramPacket(d, d.length, agent));
                    s.bytesIn += d.length;
                    sent++;
                }
                Thread.sleep(25); // about 8,000 datagrams a second: a flood, paced so the kernel's buffers take it all
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            RunReport report = run.get(30, TimeUnit.SECONDS);
            // what came back to each source
            byte[] buf = new byte[65536];
            for (Source s : sources) {
                s.socket.setSoTimeout(5); // the answers arrived long ago: the valid tests took seconds
                while (true) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        s.socket.receive(p);
                    } catch (SocketTimeoutException drained) {
                        break;
                    }
                    s.bytesOut += p.getLength();
                    s.answers++;
                    if (Datagram.type(Unpooled.wrappedBuffer(buf, 0, p.getLength())) != DatagramType.COOKIE) {
                        s.nonCookies++;
                    }
                }
                s.socket.close();
            }
            long in = sources.stream().mapToLong(s -> s.bytesIn).sum();
            long out = sources.stream().mapToLong(s -> s.bytesOut).sum();
            long answers = sources.stream().mapToLong(s -> s.answers).sum();
            for (Source s : sources) {
                assertTrue(s.bytesOut <= s.bytesIn, s.socket.getLocalSocketAddress() + " got " + s.bytesOut + " bytes for " + s.bytesIn);
                assertEquals(0, s.nonCookies, "an unvalidated source got something other than a COOKIE");
            }
            assertTrue(answers > 0 && answers <= sent / 5, answers + " answers: only the two HELLO kinds that may be, one each");
            assertEquals(0, server.udpSessions(), "no session for an unvalidated source");
            Latency lat = report.results().get(0).latency();
            assertTrue(lat.roundTrips() > 200 && lat.lost() * 20 <= lat.roundTrips(), "udp_lat through the flood: " + lat);
            var bw = report.results().get(1).bandwidth();
            assertTrue(bw.datagrams().lostPercent() < 5 && Math.abs(bw.bitsPerSecond() - 50e6) < 10e6, "udp_bw through the flood: " + bw);
            long dropLines = log.stream().filter(l -> l.startsWith("event=udp_dropped")).count();
            assertTrue(dropLines <= 2, "drops are summed, not logged one by one: " + dropLines + " lines");
            System.out.printf("fault: %d datagrams from %d sources (%d addresses) absorbed in %.1f s: %d bytes in, %d bytes out "
                            + "(%d COOKIEs, ratio %.3f), no session made, valid udp_lat and udp_bw unharmed%n",
                    sent, sources.size(), ADDRESSES, seconds, in, out, answers, (double) out / in);
        }
    }

    private static int validate(DatagramSocket socket, InetSocketAddress agent, UdpSpec spec, long nonce) throws IOException {
        byte[] hello = bytes(Datagram.control(ByteBufAllocator.DEFAULT, DatagramType.HELLO, 0, spec.toFields(Identity.local(), nonce, null)));
        socket.send(new DatagramPacket(hello, hello.length, agent));
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        ByteBuf cookie = Unpooled.wrappedBuffer(buf, 0, p.getLength());
        assertEquals(DatagramType.COOKIE, Datagram.type(cookie));
        byte[] again = bytes(Datagram.control(ByteBufAllocator.DEFAULT, DatagramType.HELLO, 0,
                spec.toFields(Identity.local(), nonce, Datagram.fields(cookie).require("cookie"))));
        socket.send(new DatagramPacket(again, again.length, agent));
        p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        ByteBuf answer = Unpooled.wrappedBuffer(buf, 0, p.getLength());
        DatagramType type = Datagram.type(answer);
        if (type == DatagramType.REJECT) {
            throw new IOException(Datagram.fields(answer).require("reason"));
        }
        assertEquals(DatagramType.ACCEPT, type);
        return Datagram.session(answer);
    }

    @Test
    void validatedSessionsAreBoundedPerAddressAndFreedWhenTheirClientGoesQuiet() throws Exception {
        Limits limits = Limits.defaults().withMaxConnectionsPerAddress(3).withIdleTimeout(Duration.ofMillis(800));
        try (NetbenchServer server = NetbenchServer.start(new ServerOptions(InetAddress.getLoopbackAddress(), 0, 0, 1, null, false), limits, log::add)) {
            InetSocketAddress agent = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.address().getPort());
            UdpSpec spec = new UdpSpec(new TestSpec(TestKind.UDP_LAT, 20, 60_000_000_000L, 0, false, 0, 1), 0, 0);
            List<DatagramSocket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                    s.setSoTimeout(2000);
                    sockets.add(s);
                }
                for (int i = 0; i < 3; i++) {
                    validate(sockets.get(i), agent, spec, 100 + i);
                }
                assertEquals(3, server.udpSessions());
                assertEquals(3, server.admission().tests(), "UDP tests take the same slots as TCP tests");
                IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                        () -> validate(sockets.get(3), agent, spec, 200));
                assertEquals("limit: connections per client address (3) reached", refused.getMessage());
                // from another address, still served
                try (DatagramSocket other = new DatagramSocket(new InetSocketAddress("127.0.0.9", 0))) {
                    other.setSoTimeout(2000);
                    validate(other, agent, spec, 300);
                }
                // nobody sends anything more: every session is closed after the idle timeout, its slot given back
                for (int i = 0; i < 150 && server.udpSessions() > 0; i++) {
                    Thread.sleep(20);
                }
                assertEquals(0, server.udpSessions());
                assertEquals(0, server.admission().tests());
                assertTrue(log.stream().anyMatch(l -> l.contains("limit: idle timeout (0.8 s) passed with no datagram from the client")), log.toString());
            } finally {
                sockets.forEach(DatagramSocket::close);
            }
        }
    }
}
