package dev.netbench.admission;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * A connection the agent will not serve: its answer (the reason) goes out, then a half-close, and whatever the
 * client still sends is read and dropped until it closes, at most {@value #LINGER_MILLIS} ms. Closing at once with
 * the client's bytes unread would reset the connection, and the reset could overtake the answer.
 */
final class Refusal extends ChannelInboundHandlerAdapter {
    static final long LINGER_MILLIS = 2000;
    private ScheduledFuture<?> linger;

    private Refusal() {
    }

    /** Puts a refusal first in the pipeline, in front of the handlers that would have served the connection. */
    static void install(ChannelHandlerContext ctx, ByteBuf answer) {
        ctx.pipeline().addFirst("refusal", new Refusal());
        ctx.channel().writeAndFlush(answer).addListener(f -> {
            if (f.isSuccess() && ctx.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                ctx.channel().close();
            }
        });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        linger = ctx.executor().schedule(() -> ctx.channel().close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        ctx.channel().closeFuture().addListener(f -> linger.cancel(false));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // nothing was passed on
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // not passed on: the handlers behind never saw the connection open, and the limiter counted nothing for it
    }
}
