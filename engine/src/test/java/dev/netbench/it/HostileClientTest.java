package dev.netbench.it;

import dev.netbench.client.Client;
import dev.netbench.cpu.CpuUsage;
import dev.netbench.host.Identity;
import dev.netbench.protocol.ControlFrame;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.FrameDecoder;
import dev.netbench.protocol.FrameType;
import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;
import dev.netbench.report.ConnectRate;
import dev.netbench.report.RunReport;
import dev.netbench.testing.Frames;
import dev.netbench.testing.RawSocket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broken and hostile peers get their own connection closed, with a reason; valid tests beside them are untouched. */
class HostileClientTest {
    @RegisterExtension
    final Loopback lo = new Loopback();

    /** Sends bytes, then reads until the server closes; returns what the server sent. */
    private byte[] exchange(byte[] bytes) throws IOException {
        return RawSocket.exchange(lo.port(), bytes, false);
    }

    /** The bytes of the given buffers in order; releases them. */
    private static byte[] bytes(ByteBuf... bufs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf : bufs) {
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            buf.release();
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private static ControlFrame decodeOne(byte[] answer) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(answer));
        return ch.readInbound();
    }

    private boolean logged(String fragment) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (lo.log.stream().anyMatch(l -> l.contains(fragment))) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void garbageClientDoesNotDisturbAConcurrentValidTest() throws Exception {
        CompletableFuture<RunReport> valid = CompletableFuture.supplyAsync(() -> {
            try {
                return Client.run(lo.settings(List.of(TestKind.TCP_BW), List.of(), 2.0, 1, false), line -> { });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(500);
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            byte[] garbage = new byte[1 + random.nextInt(20_000)];
            random.nextBytes(garbage);
            assertEquals(0, exchange(garbage).length, "garbage gets no answer, only a close");
        }
        exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        RunReport r = valid.get();
        assertTrue(r.results().get(0).bandwidth().bytes() > 0);
        assertTrue(r.results().get(0).bandwidth().seconds() > 1.5);
        assertTrue(logged("bad magic"), lo.log.toString());
    }

    @Test
    void aLatencyClientThatNeverReadsIsThrottledNotServed() throws Exception {
        TestSpec spec = new TestSpec(TestKind.TCP_LAT, 1, 60_000_000_000L, 0, false, 0, 1);
        byte[] pings = new byte[100_000]; // 1-byte messages: zeros
        try (Socket s = new Socket("127.0.0.1", lo.port())) {
            s.getOutputStream().write(bytes(Protocol.preamble(ByteBufAllocator.DEFAULT, Protocol.VERSION),
                    Protocol.control(ByteBufAllocator.DEFAULT, FrameType.HELLO, spec.toFields(Identity.local().toFields())),
                    Protocol.control(ByteBufAllocator.DEFAULT, FrameType.MARK, Fields.EMPTY)));
            // write pings and never read a pong: the server must stop reading rather than queue pongs without bound
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        s.getOutputStream().write(pings);
                    }
                } catch (IOException closed) {
                    // the test closes the socket to stop the writer
                }
            });
            Thread.sleep(2000);
            assertTrue(!flood.isDone(), "the server stopped reading: the writer is blocked, not done");
            RunReport valid = Client.run(lo.settings(List.of(TestKind.TCP_LAT), List.of(), 0.5, 1, false), line -> { });
            assertTrue(valid.results().get(0).latency().roundTrips() > 0);
            s.close();
            flood.handle((v, e) -> null).get();
        }
    }

    /**
     * Found in review: a peer whose FIN comes with its HELLO is closed by Netty before the test's connection has left
     * the event loop for a thread of its own; no thread may then touch the closed descriptor (another socket's, once
     * reused). Twenty such peers leave nothing held (their connections no longer counted too) and no thread behind,
     * and a valid test still runs.
     */
    @Test
    void aHelloFollowedAtOnceByAFinLeavesNoThreadAndNothingHeld() throws Exception {
        for (int i = 0; i < 20; i++) {
            TestKind kind = i % 2 == 0 ? TestKind.TCP_LAT : TestKind.TCP_BW;
            try (Socket s = new Socket("127.0.0.1", lo.port())) {
                s.getOutputStream().write(Frames.hello(new TestSpec(kind, 1 << 20, 60_000_000_000L, 0, kind == TestKind.TCP_BW, 0, 1)));
                s.shutdownOutput();
            }
        }
        for (int i = 0; i < 100 && (lo.server.admission().tests() > 0 || pumpThreads() > 0
                || lo.server.testConnections().addresses() > 0); i++) {
            Thread.sleep(50);
        }
        assertEquals(0, lo.server.admission().tests(), "test slots held");
        // Netty may close such a connection as it leaves the loop, unregistered and without a channelInactive
        assertEquals(0, lo.server.testConnections().addresses(), "connections counted");
        assertEquals(0, lo.server.admission().bufferBytes(), "buffer memory held");
        assertEquals(0, pumpThreads(), "threads of tests whose peers are gone");
        RunReport r = Client.run(lo.settings(List.of(TestKind.TCP_LAT), List.of(), 0.3, 1, false), line -> { });
        assertTrue(r.results().get(0).latency().roundTrips() > 0);
    }

    /**
     * Pings that come with the HELLO are answered on the event loop, through Netty, before the connection leaves it; a
     * 4 MiB answer that the socket takes only in part is finished by the test's own thread, in order: the peer reads
     * whole answers, then the RESULT.
     */
    @Test
    void pingsThatComeWithTheHelloAreAnsweredWholeAndInOrder() throws Exception {
        int size = 4 << 20;
        TestSpec spec = new TestSpec(TestKind.TCP_LAT, size, 60_000_000_000L, 0, false, 0, 1);
        try (Socket s = new Socket("127.0.0.1", lo.port())) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    s.getOutputStream().write(concat(Frames.hello(spec), Frames.control(FrameType.MARK, Fields.EMPTY),
                            Frames.message(size), Frames.message(size), Frames.control(FrameType.END, Fields.EMPTY)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(s.getInputStream()));
            assertEquals(FrameType.ACCEPT, Frames.read(in).type());
            assertEquals(size, Frames.read(in, size).size(), "the first answer, whole");
            assertEquals(size, Frames.read(in, size).size(), "the second answer, whole");
            Frames.Frame result = Frames.read(in, size);
            assertEquals(FrameType.RESULT, result.type());
            assertEquals(String.valueOf(2L * size), result.fields().get("bytes_sent"));
            writer.get();
        }
    }

    private static long pumpThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("netbench-pump")).count();
    }

    @Test
    void aClientDroppedMidWindowLeavesTheAgentsBaselineGoing() throws Exception {
        TestSpec spec = new TestSpec(TestKind.TCP_BW, 1024, 60_000_000_000L, 0, false, 0, 1);
        try (Socket s = new Socket("127.0.0.1", lo.port())) {
            s.getOutputStream().write(bytes(Protocol.preamble(ByteBufAllocator.DEFAULT, Protocol.VERSION),
                    Protocol.control(ByteBufAllocator.DEFAULT, FrameType.HELLO, spec.toFields(Identity.local().toFields())),
                    Protocol.control(ByteBufAllocator.DEFAULT, FrameType.MARK, Fields.EMPTY)));
            s.getOutputStream().write(new byte[64 * 1024]); // 1 KiB messages: zeros, counted in the agent's open window
            Thread.sleep(500);
        } // gone before END: the agent's window is abandoned, not closed
        RunReport r = Client.run(lo.settings(List.of(TestKind.TCP_LAT), List.of(), 0.3, 1, false), line -> { });
        CpuUsage agent = r.results().get(0).remoteCpu();
        assertNotNull(agent.baseline(), "the agent's history stayed paused by the dropped test's window: " + agent.baselineMissing());
    }

    @Test
    void unknownVersionGetsAReasonedReject() throws Exception {
        byte[] answer = exchange(bytes(Protocol.preamble(ByteBufAllocator.DEFAULT, 77)));
        ControlFrame reject = decodeOne(answer);
        assertEquals(FrameType.REJECT, reject.type());
        assertTrue(reject.fields().require("reason").contains("version 77"), reject.fields().toString());
    }

    @Test
    void invalidHelloGetsAReasonedReject() throws Exception {
        Fields bad = Fields.builder().put("test", "tcp_bw").put("msg_size", 0).put("duration_ns", 1000).put("warmup_ns", 0)
                .put("reverse", false).put("stream", 0).put("streams", 1).build();
        ControlFrame reject = decodeOne(exchange(bytes(Protocol.preamble(ByteBufAllocator.DEFAULT, Protocol.VERSION),
                Protocol.control(ByteBufAllocator.DEFAULT, FrameType.HELLO, bad))));
        assertEquals(FrameType.REJECT, reject.type());
        assertTrue(reject.fields().require("reason").contains("message size"), reject.fields().toString());
        assertTrue(logged("event=rejected"), lo.log.toString());
    }

    @Test
    void oversizedFrameAndDataBeforeHelloAreClosed() throws Exception {
        ByteBuf huge = Protocol.preamble(ByteBufAllocator.DEFAULT, Protocol.VERSION).writeByte(FrameType.HELLO.code()).writeInt(Integer.MAX_VALUE);
        assertEquals(0, exchange(bytes(huge)).length);
        assertTrue(logged("exceeds"), lo.log.toString());
        assertEquals(0, exchange(bytes(Protocol.preamble(ByteBufAllocator.DEFAULT, Protocol.VERSION), Protocol.message(10))).length);
        assertTrue(logged("unknown frame type 0"), lo.log.toString());
        assertEquals(0, exchange(bytes(Protocol.preamble(ByteBufAllocator.DEFAULT, Protocol.VERSION),
                Protocol.control(ByteBufAllocator.DEFAULT, FrameType.MARK, Fields.EMPTY))).length);
        assertTrue(logged("expected HELLO"), lo.log.toString());
    }

    @Test
    void transactionsAreAnsweredAndBrokenOnesCloseOnlyTheirConnection() throws Exception {
        CompletableFuture<RunReport> valid = CompletableFuture.supplyAsync(() -> {
            try {
                return Client.run(lo.settings(List.of(TestKind.TCP_CRR), List.of(), 2.0, 2, false), line -> { });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        byte[] preamble = bytes(Protocol.preamble(ByteBufAllocator.DEFAULT, Protocol.VERSION));
        byte[] txn = bytes(Protocol.appendTransaction(Unpooled.buffer(), 100));
        assertArrayEquals(new byte[100], exchange(concat(preamble, txn)), "100 bytes back, no header, then the server's close");
        for (long size : new long[]{0, Protocol.MAX_MESSAGE_SIZE + 1L}) {
            byte[] header = bytes(Unpooled.buffer().writeByte(FrameType.TXN.code()).writeInt((int) size));
            assertEquals(0, exchange(concat(preamble, header)).length, "TXN of " + size + " bytes: closed, no answer");
            assertTrue(logged("TXN frame of " + size + " bytes outside"), lo.log.toString());
        }
        TestSpec spec = new TestSpec(TestKind.TCP_BW, 100, 5_000_000_000L, 0, false, 0, 1);
        byte[] hello = bytes(Protocol.control(ByteBufAllocator.DEFAULT, FrameType.HELLO, spec.toFields(Identity.local().toFields())));
        assertEquals(FrameType.ACCEPT, decodeOne(exchange(concat(preamble, hello, txn))).type());
        assertTrue(logged("unexpected TXN frame during tcp_bw"), lo.log.toString());
        assertArrayEquals(new byte[100], exchange(concat(preamble, txn, txn)), "the first TXN answered, the second refused");
        assertTrue(logged("unexpected TXN after TXN"), lo.log.toString());
        ConnectRate crr = valid.get().results().get(0).connectRate();
        assertTrue(crr.transactions() > 0);
        assertEquals(0, crr.failed(), "the tcp_crr test beside them lost no transaction");
        assertEquals(4, lo.log.stream().filter(l -> l.startsWith("event=closed ")).count(), "only the 4 broken connections: " + lo.log);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void resultBeforeEndIsAProtocolErrorForThatConnectionOnly() throws Exception {
        TestSpec spec = new TestSpec(TestKind.TCP_BW, 100, 5_000_000_000L, 0, false, 0, 1);
        byte[] answer = exchange(bytes(Protocol.preamble(ByteBufAllocator.DEFAULT, Protocol.VERSION),
                Protocol.control(ByteBufAllocator.DEFAULT, FrameType.HELLO, spec.toFields(Identity.local().toFields())),
                Protocol.control(ByteBufAllocator.DEFAULT, FrameType.RESULT, Fields.EMPTY)));
        assertEquals(FrameType.ACCEPT, decodeOne(answer).type());
        assertTrue(logged("unexpected RESULT"), lo.log.toString());
    }
}
