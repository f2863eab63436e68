package dev.netbench.iperf3;

import dev.netbench.server.NetbenchServer;
import dev.netbench.server.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.netbench.iperf3.RealIperf3.number;
import static dev.netbench.iperf3.RealIperf3.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real iperf3 client (Debian's 3.12) against a netbench agent started in this process on loopback. */
class Iperf3ServerInteropTest {
    static NetbenchServer server;
    static int port;
    static final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws InterruptedException {
        RealIperf3.binary();
        server = NetbenchServer.start(new ServerOptions(InetAddress.getLoopbackAddress(), 0, 0, 2, null, false), log::add);
        port = server.address().getPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void tcp() {
        Map<String, Object> doc = RealIperf3.client(port, "-t", "1");
        Map<String, Object> sent = object(doc, "end", "sum_sent");
        Map<String, Object> received = object(doc, "end", "sum_received");
        assertTrue(number(received, "bytes") > 0);
        // the server's count of what arrived is what the client sent, less what was still in flight at TEST_END
        assertTrue(number(received, "bytes") <= number(sent, "bytes"));
        assertTrue(number(received, "bytes") > 0.9 * number(sent, "bytes"), () -> sent + " / " + received);
        assertTrue(number(received, "bits_per_second") > 1e8);
        assertTrue(log.stream().anyMatch(l -> l.contains("event=served test=iperf3 protocol=tcp reverse=false")), log::toString);
    }

    @Test
    void udp() {
        Map<String, Object> doc = RealIperf3.client(port, "-u", "-b", "100M", "-t", "1");
        Map<String, Object> sum = object(doc, "end", "sum");
        assertTrue(number(sum, "packets") > 300, sum::toString); // 32 KiB datagrams, iperf3's default on loopback
        assertTrue(number(sum, "lost_percent") < 20, sum::toString);
        assertTrue(number(sum, "jitter_ms") >= 0);
        assertTrue(number(object(doc, "end", "sum_received"), "bytes") > 0);
    }

    @Test
    void anAgentRequiringTheTokenRefusesIperf3Clients() throws InterruptedException {
        List<String> strictLog = new CopyOnWriteArrayList<>();
        try (NetbenchServer strict = NetbenchServer.start(new ServerOptions(InetAddress.getLoopbackAddress(), 0, 0, 1,
                dev.netbench.auth.Token.of("a-cluster-token"), true), strictLog::add)) {
            RealIperf3.Result r = RealIperf3.run("-c", "127.0.0.1", "-p", String.valueOf(strict.address().getPort()), "-t", "1");
            assertTrue(r.exit() != 0, () -> "iperf3 ran against an agent that requires a token: " + r);
            assertTrue(strictLog.stream().anyMatch(l -> l.contains("protocol=iperf3") && l.contains("requires a token")),
                    strictLog::toString);
        }
    }

    @Test
    void iperf3TestsShareTheAgentsLimits() throws InterruptedException {
        List<String> strictLog = new CopyOnWriteArrayList<>();
        dev.netbench.admission.Limits limits = dev.netbench.admission.Limits.defaults().withMaxTestDuration(java.time.Duration.ofSeconds(2));
        try (NetbenchServer strict = NetbenchServer.start(new ServerOptions(InetAddress.getLoopbackAddress(), 0, 0, 1, null, false),
                limits, strictLog::add)) {
            RealIperf3.Result r = RealIperf3.run("-c", "127.0.0.1", "-p", String.valueOf(strict.address().getPort()), "-t", "5");
            assertTrue(r.exit() != 0, () -> "a 5 s iperf3 test ran on an agent allowing 2 s: " + r);
            assertTrue(strictLog.stream().anyMatch(l -> l.contains("protocol=iperf3") && l.contains("limit: test duration (2 s)")),
                    strictLog::toString);
            RealIperf3.Result ok = RealIperf3.run("-c", "127.0.0.1", "-p", String.valueOf(strict.address().getPort()), "-t", "1");
            assertEquals(0, ok.exit(), ok::toString);
        }
    }

    @Test
    void fourParallelStreams() {
        Map<String, Object> doc = RealIperf3.client(port, "-P", "4", "-t", "1");
        List<?> streams = (List<?>) object(doc, "end").get("streams");
        assertEquals(4, streams.size());
        for (Object s : streams) {
            @SuppressWarnings("unchecked")
            Map<String, Object> stream = (Map<String, Object>) s;
            assertTrue(number(object(stream, "receiver"), "bytes") > 0, stream::toString);
        }
    }

    @Test
    void reverse() {
        Map<String, Object> doc = RealIperf3.client(port, "-R", "-t", "1");
        assertEquals(1L, object(doc, "start", "test_start").get("reverse"));
        assertTrue(number(object(doc, "end", "sum_received"), "bytes") > 0);
        assertTrue(number(object(doc, "end", "sum_sent"), "bytes") >= number(object(doc, "end", "sum_received"), "bytes"));
    }

    @Test
    void bidirectional() {
        Map<String, Object> doc = RealIperf3.client(port, "--bidir", "-t", "1");
        assertTrue(number(object(doc, "end", "sum_received"), "bytes") > 0);
        assertTrue(number(object(doc, "end", "sum_received_bidir_reverse"), "bytes") > 0);
    }

    @Test
    void theAgentsPacedSendersKeepToTheRateIperf3AskedFor() {
        // what iperf3 itself received from the agent: a wrong unit (bytes for bits) or a pacer that never waits breaks it
        Map<String, Object> tcp = RealIperf3.client(port, "-R", "-b", "100M", "-t", "2");
        assertEquals(1e8, number(object(tcp, "end", "sum_received"), "bits_per_second"), 1e7, () -> object(tcp, "end", "sum_received").toString());
        Map<String, Object> udp = RealIperf3.client(port, "-u", "-R", "-b", "50M", "-l", "1400", "-t", "2");
        Map<String, Object> sum = object(udp, "end", "sum");
        assertEquals(5e7, number(sum, "bits_per_second"), 5e6, sum::toString);
        assertTrue(number(sum, "lost_percent") < 1, sum::toString);
    }

    @Test
    void udpReverseAndBidirectional() {
        Map<String, Object> r = RealIperf3.client(port, "-u", "-R", "-b", "50M", "-l", "1400", "-t", "1");
        assertTrue(number(object(r, "end", "sum"), "packets") > 1000);
        Map<String, Object> b = RealIperf3.client(port, "-u", "--bidir", "-P", "2", "-b", "20M", "-t", "1");
        assertTrue(number(object(b, "end", "sum_received"), "bytes") > 0);
        assertTrue(number(object(b, "end", "sum_received_bidir_reverse"), "bytes") > 0);
    }

    @Test
    void threeClientsAtOnce() {
        List<CompletableFuture<RealIperf3.Result>> runs = List.of(
                RealIperf3.start("-c", "127.0.0.1", "-p", String.valueOf(port), "-J", "-t", "2"),
                RealIperf3.start("-c", "127.0.0.1", "-p", String.valueOf(port), "-J", "-t", "2", "-R"),
                RealIperf3.start("-c", "127.0.0.1", "-p", String.valueOf(port), "-J", "-t", "2", "-u", "-b", "50M"));
        for (CompletableFuture<RealIperf3.Result> run : runs) {
            Map<String, Object> doc = run.join().json();
            assertTrue(number(object(doc, "end", "sum_received"), "bytes") > 0);
        }
    }

    @Test
    void malformedInputDisturbsNoOtherTest() throws Exception {
        CompletableFuture<RealIperf3.Result> running = RealIperf3.start("-c", "127.0.0.1", "-p", String.valueOf(port), "-J", "-t", "2");
        Thread.sleep(300);
        // a length prefix of 4 GiB: refused with SERVER_ERROR, nothing read or allocated
        assertEquals(List.of(0x09, 0xFE), answer(Iperf3.newCookie(), new byte[]{(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, 2), log::toString);
        // parameters that are not JSON, and JSON nested deeper than the parser allows
        assertEquals(List.of(0x09, 0xFE), answer(Iperf3.newCookie(), lengthPrefixed("{not json"), 2));
        assertEquals(List.of(0x09, 0xFE), answer(Iperf3.newCookie(), lengthPrefixed("[".repeat(5000)), 2));
        // out of range: 1000 streams is refused with iperf3's own "too many parallel streams" code (6)
        assertEquals(List.of(0x09, 0xFE, 0, 0, 0, 6), answer(Iperf3.newCookie(),
                lengthPrefixed("{\"tcp\":true,\"time\":1,\"parallel\":1000,\"len\":1000}"), 6));
        // a state byte out of turn after CREATE_STREAMS
        byte[] params = lengthPrefixed("{\"tcp\":true,\"time\":1,\"parallel\":1,\"len\":1000}");
        byte[] outOfTurn = new byte[params.length + 1];
        System.arraycopy(params, 0, outOfTurn, 0, params.length);
        outOfTurn[params.length] = Iperf3.EXCHANGE_RESULTS;
        assertEquals(List.of(0x09, 0x0A), answer(Iperf3.newCookie(), outOfTurn, 3));
        // a cookie cut short by a byte no cookie has, and bytes that are neither netbench nor iperf3
        assertEquals(List.of(), answer("abc\u0001", new byte[0], 1));
        assertEquals(List.of(), answer("GET / HTTP/1.1\r\n\r\n", new byte[0], 1));
        // UDP: an iperf3 connect datagram while no UDP test is connecting streams, and noise: no answer at all
        try (DatagramSocket u = new DatagramSocket()) {
            u.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            u.setSoTimeout(300);
            u.send(new DatagramPacket("9876".getBytes(StandardCharsets.US_ASCII), 4));
            u.send(new DatagramPacket(new byte[1200], 1200));
            assertThrows(SocketTimeoutException.class, () -> u.receive(new DatagramPacket(new byte[64], 64)));
        }
        Map<String, Object> doc = running.join().json();
        assertTrue(number(object(doc, "end", "sum_received"), "bits_per_second") > 1e8);
        // and the agent still serves iperf3 afterwards
        assertTrue(number(object(RealIperf3.client(port, "-t", "1"), "end", "sum_received"), "bytes") > 0);
    }

    /** Opens a connection, sends {@code first} and {@code then}, and returns up to {@code max} bytes of the answer. */
    private static List<Integer> answer(String first, byte[] then, int max) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            byte[] head = first.getBytes(StandardCharsets.US_ASCII);
            out.write(head);
            if (head.length == Iperf3.COOKIE_CHARS) {
                out.write(0);
                DataInputStream in = new DataInputStream(s.getInputStream());
                int state = in.read();
                out.write(then);
                out.flush();
                List<Integer> got = new java.util.ArrayList<>(List.of(state));
                read(in, got, max);
                return got;
            }
            out.write(then);
            out.flush();
            List<Integer> got = new java.util.ArrayList<>();
            read(new DataInputStream(s.getInputStream()), got, max);
            return got;
        }
    }

    private static void read(DataInputStream in, List<Integer> got, int max) throws IOException {
        try {
            while (got.size() < max) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                got.add(b);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // closed or silent: what arrived is the answer
        }
    }

    private static byte[] lengthPrefixed(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return java.nio.ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).array();
    }
}
