package dev.netbench.server;

import dev.netbench.host.Identity;
import dev.netbench.http.HttpTarget;
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
 * The netbench agent: one TCP port for tests, any number at once from any number of clients, each test
 * self-contained on its own connection; and the HTTP target on a port of its own.
 */
public final class NetbenchServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;
    private final Channel httpChannel;

    private NetbenchServer(EventLoopGroup group, Channel channel, Channel httpChannel) {
        this.group = group;
        this.channel = channel;
        this.httpChannel = httpChannel;
    }

    /** Binds both listeners and starts serving; every served test and every dropped connection is one line to {@code log}. */
    public static NetbenchServer start(ServerOptions options, Consumer<String> log) throws InterruptedException {
        Transport transport = Transport.best();
        Identity identity = Identity.local();
        EventLoopGroup group = transport.newGroup(options.threads(), "netbench-server");
        try {
            Channel channel = bootstrap(group, transport)
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
                    .bind(new InetSocketAddress(options.bind(), options.port())).sync().channel();
            Channel http = bootstrap(group, transport)
                    .childHandler(HttpTarget.initializer())
                    .bind(new InetSocketAddress(options.bind(), options.httpPort())).sync().channel();
            return new NetbenchServer(group, channel, http);
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static ServerBootstrap bootstrap(EventLoopGroup group, Transport transport) {
        return new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true);
    }

    /** Reads grow up to 256 KiB so a bandwidth test's receiver makes few syscalls; latency tests stay small. */
    public static AdaptiveRecvByteBufAllocator recvAllocator() {
        return new AdaptiveRecvByteBufAllocator(64, 2048, 256 * 1024);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    public InetSocketAddress httpAddress() {
        return (InetSocketAddress) httpChannel.localAddress();
    }

    /** Blocks until the listening socket closes. */
    public void awaitClose() throws InterruptedException {
        channel.closeFuture().sync();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        httpChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
