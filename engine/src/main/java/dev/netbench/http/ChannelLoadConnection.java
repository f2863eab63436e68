package dev.netbench.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;

/** A load connection on a Netty channel: for transports other than epoll (Java NIO). */
final class ChannelLoadConnection extends ChannelInboundHandlerAdapter implements LoadConnection {
    private final Bootstrap bootstrap;
    private final ByteBuf request; // unreleasable: a write sends a duplicate, no reference count touched per request
    private final Events events;
    private Channel channel;
    private boolean closed;

    private ChannelLoadConnection(Bootstrap bootstrap, EventLoop loop, ByteBuf request, Events events) {
        this.bootstrap = bootstrap.clone(loop).handler(this);
        this.request = request;
        this.events = events;
    }

    /** A run's connections on {@code group}'s channels of type {@code channelType}. */
    static Factory factory(EventLoopGroup group, Class<? extends SocketChannel> channelType, InetSocketAddress address,
                           ByteBuf request) {
        // the slots time their connects themselves, whichever the connection
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelType)
                .remoteAddress(address)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0);
        ByteBuf unreleasable = Unpooled.unreleasableBuffer(request);
        return (loop, events) -> new ChannelLoadConnection(bootstrap, loop, unreleasable, events);
    }

    @Override
    public void connect() {
        ChannelFuture f = bootstrap.connect();
        channel = f.channel();
        f.addListener(done -> {
            if (closed) {
                return;
            }
            if (done.isSuccess()) {
                events.connected(this);
            } else {
                close();
                events.connectFailed(this, done.cause());
            }
        });
    }

    @Override
    public void send() {
        channel.writeAndFlush(request.duplicate(), channel.voidPromise());
    }

    @Override
    public void close() {
        closed = true;
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public boolean isOpen() {
        return !closed && channel != null && channel.isActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!closed && msg instanceof ByteBuf buf) {
                events.received(this, buf, System.nanoTime());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!closed) {
            closed = true;
            events.closed(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!closed) {
            close();
            events.failed(this, cause);
        }
        ctx.close();
    }
}
