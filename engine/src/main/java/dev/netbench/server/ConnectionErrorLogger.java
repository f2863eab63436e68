package dev.netbench.server;

import dev.netbench.admission.ServerMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;

import java.util.function.Consumer;

/** Last in every server pipeline: logs the first error of a connection once, and closes only that connection. */
final class ConnectionErrorLogger extends ChannelInboundHandlerAdapter {
    private final Consumer<String> log;
    private final ServerMetrics metrics;
    private boolean logged;

    ConnectionErrorLogger(Consumer<String> log, ServerMetrics metrics) {
        this.log = log;
        this.metrics = metrics;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!logged) {
            logged = true;
            Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            metrics.connectionError();
            String reason = String.valueOf(root.getMessage()).replace("\"", "'");
            log.accept("event=closed peer=" + ctx.channel().remoteAddress() + " reason=\"" + reason + "\"");
        }
        ctx.close();
    }
}
