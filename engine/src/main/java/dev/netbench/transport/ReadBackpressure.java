package dev.netbench.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Stops reading from a peer while writes to it are piling up, and reads again once they drain: a peer that
 * sends requests but never reads the answers cannot make the server queue answers without bound.
 */
@ChannelHandler.Sharable
public final class ReadBackpressure extends ChannelInboundHandlerAdapter {
    public static final ReadBackpressure INSTANCE = new ReadBackpressure();

    private ReadBackpressure() {
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }
}
