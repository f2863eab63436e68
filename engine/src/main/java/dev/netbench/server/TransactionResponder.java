package dev.netbench.server;

import dev.netbench.admission.ServerMetrics;
import dev.netbench.admission.Limits;
import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.TxnFrame;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * tcp_crr, the server's side of one transaction: answers the connection's TXN with a message of its size and
 * closes first, so the TIME_WAIT lands on the server and the client does not run out of ephemeral ports.
 * Counts the transaction but logs nothing, as there may be tens of thousands a second. Anything after the TXN
 * is a protocol error.
 */
final class TransactionResponder extends ChannelInboundHandlerAdapter {
    private final Consumer<String> log;
    private final ServerMetrics metrics;
    private final Duration readTimeout;
    private boolean answered;
    private ScheduledFuture<?> timeout;

    TransactionResponder(Consumer<String> log, ServerMetrics metrics, Duration readTimeout) {
        this.log = log;
        this.metrics = metrics;
        this.readTimeout = readTimeout;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (answered || !(msg instanceof TxnFrame txn)) {
            throw new ProtocolException("unexpected " + ServerHandshake.describe(msg) + " after TXN");
        }
        answered = true;
        metrics.transaction();
        // the answer's payload is slices of one shared buffer of zeros: a 16 MiB answer allocates nothing, so
        // transactions need no share of the buffer budget however many are in flight
        Protocol.writeMessage(ctx, txn.size()).addListener(ChannelFutureListener.CLOSE);
        // a client that never reads its answer does not hold the connection for long
        timeout = ctx.executor().schedule(() -> {
            metrics.connectionError();
            metrics.limitHit("handshake_timeout");
            log.accept("event=closed peer=" + ctx.channel().remoteAddress() + " reason=\""
                    + Limits.reason("handshake timeout", Limits.seconds(readTimeout), "passed with the TXN answer unread") + "\"");
            ctx.close();
        }, readTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
