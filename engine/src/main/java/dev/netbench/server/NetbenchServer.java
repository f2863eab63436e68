package dev.netbench.server;

import dev.netbench.host.Identity;
import dev.netbench.protocol.FrameDecoder;
import dev.netbench.protocol.PreambleDecoder;
import dev.netbench.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The netbench agent: one TCP port, any number of concurrent tests from any number of clients, each test
 * self-contained on its own connection.
 */
public final class NetbenchServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;

    private NetbenchServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds and starts serving. {@code threads} event loops (0: one per CPU); every served test and every
     * dropped connection is reported to {@code log} as one line.
     */
    public static NetbenchServer start(InetSocketAddress bind, int threads, Consumer<String> log) throws InterruptedException {
        Transport transport = Transport.best();
        Identity identity = Identity.local();
        EventLoopGroup group = transport.newGroup(threads, "netbench-server");
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, recvAllocator())
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("preamble", new PreambleDecoder())
                                    .addLast("frames", new FrameDecoder())
                                    .addLast("handshake", new ServerHandshake(identity, log))
                                    .addLast("errors", new ConnectionErrorLogger(log));
                        }
                    })
                    .bind(bind).sync().channel();
            return new NetbenchServer(group, channel);
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Reads grow up to 256 KiB so a bandwidth test's receiver makes few syscalls; latency tests stay small. */
    public static AdaptiveRecvByteBufAllocator recvAllocator() {
        return new AdaptiveRecvByteBufAllocator(64, 2048, 256 * 1024);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Blocks until the listening socket closes. */
    public void awaitClose() throws InterruptedException {
        channel.closeFuture().sync();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
