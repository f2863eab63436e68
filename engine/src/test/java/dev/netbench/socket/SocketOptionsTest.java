package dev.netbench.socket;

import dev.netbench.socket.TcpInfoSample;
import dev.netbench.socket.SocketOptions;
import dev.netbench.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * libc's socket options on a real epoll connection over loopback, checked against what the kernel says elsewhere:
 * struct tcp_info's offsets against iproute2's {@code ss -tni} for the same socket, and the segment count against
 * the bytes sent and the MSS set.
 */
class SocketOptionsTest {
    private static final int BYTES = 1_000_000;
    private EventLoopGroup group;
    private Channel server;
    private final AtomicLong received = new AtomicLong();

    @BeforeEach
    void start() throws InterruptedException {
        assumeTrue(Transport.best().name().equals("epoll"), "native epoll only");
        group = Transport.best().newGroup(1, "socket-options-test");
        server = new ServerBootstrap().group(group).channel(Transport.best().serverChannel())
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        received.addAndGet(((ByteBuf) msg).readableBytes());
                        ReferenceCountUtil.release(msg);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    @AfterEach
    void stop() {
        if (group != null) {
            server.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private Channel connect(int mss) throws InterruptedException {
        return new Bootstrap().group(group).channel(Transport.best().socketChannel())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (mss > 0) {
                            SocketOptions.setMaxSeg(ch, mss);
                        }
                    }
                })
                .connect(server.localAddress()).sync().channel();
    }

    @Test
    void tcpInfoMatchesSsForTheSameSocketAndCountsSegmentsOfTheMssSet() throws Exception {
        Channel ch = connect(1000);
        ch.writeAndFlush(ch.alloc().buffer(BYTES).writeZero(BYTES)).sync();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.get() < BYTES && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(BYTES, received.get());
        Thread.sleep(100); // the last ACKs: the connection is idle, so both reads see the same counters
        TcpInfoSample mine = ch.eventLoop().submit(() -> SocketOptions.tcpInfo(ch)).get();
        int port = ((InetSocketAddress) ch.localAddress()).getPort();
        String ss = ss(port);
        assumeTrue(ss != null, "iproute2's ss is not installed");
        assertEquals(field(ss, "data_segs_out"), mine.dataSegsOut(), ss);
        assertEquals(field(ss, "bytes_sent"), mine.bytesSent(), ss);
        assertEquals(field(ss, "mss"), mine.sndMss(), ss);
        assertEquals(field(ss, "pmtu"), mine.pmtu(), ss);
        assertEquals(field(ss, "cwnd"), mine.sndCwnd(), ss);
        // TCP_MAXSEG 1000 less 12 bytes of timestamp option: 988-byte segments; the data cut into ceil(bytes / 988)
        // segments at the least (TSO/GSO super-packets count as the segments they carry)
        assertTrue(mine.sndMss() <= 1000 && mine.sndMss() > 900, "snd_mss " + mine.sndMss());
        long least = (BYTES + mine.sndMss() - 1) / mine.sndMss();
        assertTrue(mine.dataSegsOut() >= least && mine.dataSegsOut() <= least * 11 / 10,
                mine.dataSegsOut() + " data segments for " + BYTES + " bytes at MSS " + mine.sndMss());
        assertTrue(mine.bytesSent() >= BYTES && mine.bytesSent() <= BYTES + mine.totalRetrans() * mine.sndMss(),
                "bytes_sent " + mine.bytesSent());
        assertEquals(mine.sndMss(), SocketOptions.maxSeg(ch));
        ch.close().sync();
    }

    @Test
    void congestionControlIsSetAndReadBackAndAnUnknownOneIsRefusedWithTheAvailableOnes() throws Exception {
        Channel ch = connect(0);
        SocketOptions.setCongestion(ch, "reno");
        assertEquals("reno", SocketOptions.congestion(ch));
        SocketOptions.Failed e = assertThrows(SocketOptions.Failed.class, () -> SocketOptions.setCongestion(ch, "nosuchalgo"));
        assertTrue(e.getMessage().contains("no such congestion control; available: " + String.join(" ", SocketOptions.availableCongestion())),
                e.getMessage());
        assertEquals("reno", SocketOptions.congestion(ch));
        ch.close().sync();
        assertThrows(SocketOptions.Failed.class, () -> SocketOptions.congestion(ch), "a closed channel's descriptor is not read");
    }

    /** {@code ss -tni} of the established connection from local port {@code port}, or null without ss. */
    private static String ss(int port) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("ss", "-tniH", "state", "established", "( sport = :" + port + " )")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return p.exitValue() == 0 && !out.isBlank() ? out : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static long field(String ss, String name) {
        Matcher m = Pattern.compile("(?<![a-z_])" + name + ":(\\d+)").matcher(ss);
        assertTrue(m.find(), name + " in " + ss);
        return Long.parseLong(m.group(1));
    }
}
