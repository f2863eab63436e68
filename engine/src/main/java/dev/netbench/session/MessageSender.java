package dev.netbench.session;

import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.TestSpec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * An endpoint that sends messages: owns the one DATA frame of msg_size bytes it writes again and again, and,
 * for the roles that drive a test (the bandwidth sender, the latency pinger), the test's clock.
 */
public abstract class MessageSender extends ClockedEndpoint {
    private ByteBuf frame;

    protected MessageSender(TestSpec spec, Side side) {
        super(spec, side);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        frame = Protocol.dataFrame(spec.msgSize());
        super.handlerAdded(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (frame != null) {
            frame.release();
            frame = null;
        }
    }

    /** Writes and flushes one message, unless the test was stopped. */
    protected final void send(ChannelHandlerContext ctx) {
        if (ended()) {
            return;
        }
        ctx.writeAndFlush(frame.retainedDuplicate(), ctx.voidPromise());
        window.sent(spec.msgSize(), 1);
    }
}
