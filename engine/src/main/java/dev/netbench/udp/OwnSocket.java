package dev.netbench.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A UDP test's own socket on the agent: bound to the agent's address and port (SO_REUSEADDR, as the shared socket)
 * and connected to the test's client, so the kernel hands it that client's datagrams before the shared socket, and
 * what it sends leaves from the agent's address and port: the test keeps its one 5-tuple. Each test's socket has
 * its own receive buffer and its own event loop, so concurrent tests and the streams of {@code -P} are read on
 * different cores, and a flood into one test's buffer does not drop another's datagrams.
 */
final class OwnSocket {
    private OwnSocket() {
    }

    /** Whether tests on {@code shared}'s agent can have sockets of their own: the native transport's connected sockets. */
    static boolean possible(Channel shared) {
        return shared instanceof EpollDatagramChannel;
    }

    /**
     * Opens the socket on {@code loop}; {@code then} gets it (null if it could not be had), on that loop. Every datagram
     * it reads goes to {@code read} with its real sender: until the socket was connected, it may have taken anyone's.
     */
    static void open(Channel shared, EventLoop loop, InetSocketAddress peer, BiConsumer<ByteBuf, InetSocketAddress> read,
                     Consumer<Channel> then) {
        UdpAgent.datagramOptions(new Bootstrap().group(loop).channel(shared.getClass()))
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new Reader(read))
                .localAddress(shared.localAddress())
                .connect(peer)
                .addListener((ChannelFuture f) -> {
                    if (f.isSuccess()) {
                        then.accept(f.channel());
                    } else {
                        f.channel().close();
                        then.accept(null);
                    }
                });
    }

    /** Hands each datagram on with its sender; the datagram is released after. */
    private static final class Reader extends ChannelInboundHandlerAdapter {
        private final BiConsumer<ByteBuf, InetSocketAddress> read;

        Reader(BiConsumer<ByteBuf, InetSocketAddress> read) {
            this.read = read;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            try {
                read.accept(packet.content(), packet.sender());
            } finally {
                packet.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // an ICMP error from an earlier datagram (the client went away): the idle timeout or the client's END says how
            // the test went
        }
    }
}
