package dev.netbench.http;

import dev.netbench.admission.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP target's answer to slow-loris: once a request's first byte has arrived, the whole request (headers and
 * any body) must be in within the handshake timeout, or the connection is closed. A deadline, not an idle timer:
 * a client trickling a byte at a time is cut off all the same. Between requests the idle timeout applies.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {
    private final Duration timeout;
    private final ServerMetrics metrics;
    private ScheduledFuture<?> deadline;

    RequestDeadline(Duration timeout, ServerMetrics metrics) {
        this.timeout = timeout;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (deadline == null && msg instanceof ByteBuf in && in.isReadable()) {
            deadline = ctx.executor().schedule(() -> {
                metrics.limitHit("handshake_timeout");
                ctx.close();
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /** The request under way has been read whole; the next one's clock starts at its first byte. */
    void requestDone() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        requestDone();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        requestDone();
        ctx.fireChannelInactive();
    }
}
