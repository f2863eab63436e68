package dev.netbench.admission;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Closes a connection on which nothing has moved, in either direction, for {@link Limits#idleTimeout()}: a client
 * that died without a close (a pulled cable, a frozen process) or stopped reading gives its slot and its buffers
 * back then, not at the end of the longest test it could have asked for. Writes count only when they make
 * progress, so a peer that reads nothing is idle however much is queued for it.
 */
public final class IdleTimeout extends IdleStateHandler {
    private final Duration timeout;
    private final ServerMetrics metrics;
    private final Consumer<String> log;

    public IdleTimeout(Duration timeout, ServerMetrics metrics, Consumer<String> log) {
        super(true, 0, 0, timeout.toNanos(), TimeUnit.NANOSECONDS);
        this.timeout = timeout;
        this.metrics = metrics;
        this.log = log;
    }

    /** Counted, not logged: an HTTP keep-alive connection left idle is the client's normal way to end it. */
    public static IdleTimeout quiet(Duration timeout, ServerMetrics metrics) {
        return new IdleTimeout(timeout, metrics, null);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        metrics.limitHit("idle_timeout");
        if (log == null) {
            ctx.close();
            return;
        }
        metrics.connectionError();
        log.accept("event=closed peer=" + ctx.channel().remoteAddress() + " reason=\""
                + Limits.reason("idle timeout", Limits.seconds(timeout), "passed with nothing moving") + "\"");
        ctx.close();
    }
}
