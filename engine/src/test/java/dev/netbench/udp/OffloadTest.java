package dev.netbench.udp;

import dev.netbench.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * UDP GSO and GRO on loopback, against what the kernel delivers: a batch sent in one send(2) reaches an ordinary
 * socket as that many datagrams of exactly the message size, numbered in order, and a GRO socket's batch reaches the
 * handlers as the same datagrams one by one.
 */
class OffloadTest {
    private static final int SIZE = 1400;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private EventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();

    @BeforeEach
    void start() {
        Transport transport = Transport.best();
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        // nothing skips silently in CI, whose kernel (6.x, epoll) has both
        assertTrue(!ci || transport.datagramChannel() == EpollDatagramChannel.class && EpollDatagramChannel.isSegmentedDatagramPacketSupported(),
                "CI=true: UDP GSO needs the native epoll transport and a kernel with UDP_SEGMENT");
        assumeTrue(transport.datagramChannel() == EpollDatagramChannel.class && EpollDatagramChannel.isSegmentedDatagramPacketSupported());
        group = transport.newGroup(1, "offload-test");
    }

    @AfterEach
    void stop() {
        channels.forEach(Channel::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Channel channel(ChannelInboundHandlerAdapter handler, InetSocketAddress connectTo) throws InterruptedException {
        Bootstrap b = UdpAgent.datagramOptions(new Bootstrap().group(group).channel(EpollDatagramChannel.class)).handler(handler);
        Channel ch = connectTo == null ? b.bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel() : b.connect(connectTo).sync().channel();
        channels.add(ch);
        return ch;
    }

    /** Sends {@code count} DATA datagrams numbered from {@code seq} in one GSO send; the kernel must take them. */
    private void sendBatch(Channel ch, int seq, int count) throws Exception {
        assertEquals(46, Offload.segments(ch, SIZE), "1400-byte datagrams per 64 KiB send");
        ChannelPromise written = ch.newPromise();
        ch.eventLoop().submit(() -> {
            Link link = Link.connected(ch);
            link.writeBatch(Datagram.batch(ch.alloc().directBuffer(count * SIZE), 77, seq, 123_456_789L, true, SIZE, count), SIZE, written);
            link.flush();
        }).sync();
        written.sync();
    }

    @Test
    void aBatchReachesAnOrdinarySocketAsOneDatagramOfTheMessageSizePerSegment() throws Exception {
        try (DatagramChannel receiver = DatagramChannel.open()) {
            receiver.bind(new InetSocketAddress(LOOPBACK, 0));
            Channel sender = channel(new ChannelInboundHandlerAdapter(), (InetSocketAddress) receiver.getLocalAddress());
            sendBatch(sender, 1000, 10);
            ByteBuffer in = ByteBuffer.allocate(65536);
            receiver.configureBlocking(true);
            for (int i = 0; i < 10; i++) {
                in.clear();
                assertNotNull(receiver.receive(in));
                in.flip();
                assertEquals(SIZE, in.remaining(), "datagram " + i);
                ByteBuf d = io.netty.buffer.Unpooled.wrappedBuffer(in);
                assertEquals(DatagramType.DATA, Datagram.type(d));
                assertEquals(77, Datagram.session(d));
                assertEquals(1000 + i, Datagram.seq(d));
                assertEquals(123_456_789L, Datagram.time(d));
                assertTrue(Datagram.measured(d));
            }
            receiver.configureBlocking(false);
            in.clear();
            assertEquals(null, receiver.receive(in), "nothing beyond the batch's 10");
        }
    }

    @Test
    void aGroSocketTakesTheBatchWholeAndItsHandlerSeesTheSameDatagramsOneByOne() throws Exception {
        BlockingQueue<int[]> got = new LinkedBlockingQueue<>();
        Channel receiver = channel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                DatagramPacket p = (DatagramPacket) msg;
                got.add(new int[] {p.content().readableBytes(), Datagram.seq(p.content())});
                p.release();
            }
        }, null);
        assertTrue(receiver.eventLoop().submit(() -> Offload.receiveBatches(receiver)).get(), "UDP_GRO on a 6.x kernel");
        Channel sender = channel(new ChannelInboundHandlerAdapter(), (InetSocketAddress) receiver.localAddress());
        sendBatch(sender, 0, 46);
        for (int i = 0; i < 46; i++) {
            int[] d = got.poll(5, TimeUnit.SECONDS);
            assertNotNull(d, "datagram " + i + " of 46");
            assertEquals(SIZE, d[0]);
            assertEquals(i, d[1]);
        }
        assertEquals(null, got.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void onlyTheKernelsRefusalToSegmentTurnsGsoOffNotAnErrorFromThePath() {
        assertTrue(Offload.refused(new Errors.NativeIoException("sendmmsg", -22)), "EINVAL: a segment over the MTU");
        assertTrue(Offload.refused(new Errors.NativeIoException("sendmmsg", -5)), "EIO: no checksum offload");
        assertTrue(!Offload.refused(new Errors.NativeIoException("sendmmsg", Errors.ERROR_ECONNREFUSED_NEGATIVE)),
                "ICMP port unreachable is the test's failure");
        assertTrue(!Offload.refused(null));
    }

    @Test
    void withoutGsoOneSendCarriesOneDatagram() {
        assertEquals(1, Offload.segments(new io.netty.channel.embedded.EmbeddedChannel(), SIZE));
        EpollDatagramChannel epoll = new EpollDatagramChannel();
        try {
            assertEquals(64, Offload.segments(epoll, 20), "20-byte datagrams: the kernel's 64 per send");
            assertEquals(1, Offload.segments(epoll, 40_000), "one 40 000-byte datagram fills a send");
        } finally {
            epoll.unsafe().closeForcibly();
        }
    }
}
