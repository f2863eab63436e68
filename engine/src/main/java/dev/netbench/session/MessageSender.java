package dev.netbench.session;

import dev.netbench.protocol.FrameType;
import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.TestSpec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * An endpoint that sends messages: owns the one DATA frame of msg_size bytes it writes again and again, and,
 * for the roles that drive a test (the bandwidth sender, the latency pinger), its clock: MARK when the
 * warm-up is over, END when the measured window is.
 */
public abstract class MessageSender extends TestEndpoint {
    private ByteBuf frame;
    private long markAt;
    private long endAt;
    private boolean ended;

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
        if (ended) {
            return;
        }
        ctx.writeAndFlush(frame.retainedDuplicate(), ctx.voidPromise());
        window.sent(spec.msgSize(), 1);
    }

    /** Starts the test's clock: warm-up from now, then the measured window. */
    protected final void startClock() {
        markAt = System.nanoTime() + spec.warmupNanos();
        endAt = markAt + spec.durationNanos();
    }

    protected final boolean ended() {
        return ended;
    }

    @Override
    public void stop() {
        ended = true;
    }

    /**
     * Writes MARK (and opens this end's window) once the warm-up is over, and END (and finishes) once the window
     * is; returns true when the test has ended.
     */
    protected final boolean tick(ChannelHandlerContext ctx, long now) {
        if (!window.wasOpened() && now - markAt >= 0) {
            write(ctx, FrameType.MARK);
            window.open();
        }
        if (!ended && window.wasOpened() && now - endAt >= 0) {
            ended = true;
            write(ctx, FrameType.END);
            finish(ctx, window.close());
        }
        return ended;
    }
}
