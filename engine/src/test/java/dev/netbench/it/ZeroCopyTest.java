package dev.netbench.it;

import dev.netbench.NetbenchException;
import dev.netbench.client.Client;
import dev.netbench.client.ClientSettings;
import dev.netbench.host.Identity;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.FrameType;
import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.SocketKnobs;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.Bandwidth;
import dev.netbench.socket.ZeroCopyFile;
import dev.netbench.testing.CountingProxy;
import dev.netbench.testing.Frames;
import dev.netbench.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * -Z over real loopback sockets, forward (the client sends) and -R (the agent does): every message is one sendfile(2)
 * call, counted by what the calls returned, not by what was asked; the receiver gets exactly what the sender counted;
 * the wire carries the payload and no more; the sending end reads back zerocopy, the receiving end not.
 */
class ZeroCopyTest {
    private static final SocketKnobs ZEROCOPY = new SocketKnobs(false, 0, 0, null, -1, true);
    /** Handshake, MARK, END and RESULT together stay well under this, whatever the test's length. */
    private static final long FRAMES = 4096;
    private Loopback lo;

    @BeforeEach
    void start() throws InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Transport.best().name().equals("epoll"), "-Z needs native epoll");
        lo = new Loopback();
    }

    @AfterEach
    void stop() {
        if (lo != null) {
            lo.close();
        }
    }

    private static ClientSettings settings(int port, int size, boolean reverse, SocketKnobs knobs) {
        // no warm-up: every message the sender sends is in its window, so bytes_sent is all the payload it sent
        return new ClientSettings("127.0.0.1", port, List.of(TestKind.TCP_BW), List.of(size), Duration.ofMillis(700),
                Duration.ZERO, 1, reverse, Duration.ZERO, Duration.ofSeconds(5), null, 0, null, knobs);
    }

    @Test
    void everyMessageIsOneSendfileAndTheReceiverGetsWhatTheSenderCounted() throws Exception {
        for (int size : new int[]{65536, 1024}) {
            for (boolean reverse : new boolean[]{false, true}) {
                try (CountingProxy proxy = new CountingProxy(lo.port())) {
                    long calls = ZeroCopyFile.calls();
                    long full = ZeroCopyFile.full();
                    long bytes = ZeroCopyFile.bytes();
                    Bandwidth b = Client.run(settings(proxy.port(), size, reverse, ZEROCOPY), line -> { }).results().get(0).bandwidth();
                    long wire = reverse ? proxy.fromTarget() : proxy.toTarget();
                    calls = ZeroCopyFile.calls() - calls;
                    full = ZeroCopyFile.full() - full;
                    bytes = ZeroCopyFile.bytes() - bytes;
                    long messages = b.bytesSent() / size;
                    String what = size + " B" + (reverse ? " -R" : "") + ": " + messages + " messages, " + calls + " sendfile calls ("
                            + full + " more found the socket full) moved " + bytes + " B of " + b.bytesSent() + " B sent, "
                            + b.bytes() + " B received, " + wire + " B on the wire";
                    assertTrue(messages >= 1000, "too few messages to tell: " + what);
                    assertEquals(messages, calls + full, "one sendfile per message: " + what);
                    assertTrue(bytes > 0 && bytes <= b.bytesSent(), what);
                    assertEquals(b.bytesSent(), b.bytes(), "received = sent in the window: " + what);
                    assertTrue(wire >= b.bytesSent() && wire - b.bytesSent() < FRAMES, "the wire carries the payload: " + what);
                    assertEquals(Boolean.TRUE, b.sockets().sender().zerocopy(), what);
                    assertEquals(Boolean.FALSE, b.sockets().receiver().zerocopy(), what);
                }
            }
        }
    }

    @Test
    void withoutZerocopyNothingIsSentWithSendfile() throws Exception {
        for (boolean reverse : new boolean[]{false, true}) {
            long calls = ZeroCopyFile.calls() + ZeroCopyFile.full();
            Bandwidth b = Client.run(settings(lo.port(), 65536, reverse, SocketKnobs.DEFAULT), line -> { }).results().get(0).bandwidth();
            assertTrue(b.bytes() > 0);
            assertEquals(calls, ZeroCopyFile.calls() + ZeroCopyFile.full(), "write(2) only");
            assertEquals(Boolean.FALSE, b.sockets().sender().zerocopy());
        }
    }

    @Test
    void anAgentThatIgnoresZerocopyIsAClearErrorInReverse() throws Exception {
        // an agent older than -Z: it accepts the HELLO, knows nothing of sock.zerocopy, and would send with write(2)
        try (ServerSocket old = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread agent = new Thread(() -> {
                try (Socket s = old.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    in.skipNBytes(Protocol.PREAMBLE_LENGTH);
                    Frames.read(in);
                    OutputStream out = s.getOutputStream();
                    out.write(Frames.control(FrameType.ACCEPT, Fields.builder().putAll(Identity.local().toFields(), "")
                            .put("sock.nodelay", false).build()));
                    out.flush();
                    in.readAllBytes();
                } catch (java.io.IOException ignored) {
                    // the client hangs up
                }
            });
            agent.setDaemon(true);
            agent.start();
            NetbenchException e = assertThrows(NetbenchException.class,
                    () -> Client.run(settings(old.getLocalPort(), 65536, true, ZEROCOPY), line -> { }));
            assertEquals("tcp_bw socket options: -Z/--zerocopy: the agent does not send with sendfile (it is older than this client)",
                    e.getMessage());
        }
    }
}
