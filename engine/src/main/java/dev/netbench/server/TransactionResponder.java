package dev.netbench.server;

import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.TxnFrame;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * tcp_crr, the server's side of one transaction: answers the connection's TXN with a TXN of the same size and
 * closes first, so the TIME_WAIT lands on the server and the client does not run out of ephemeral ports.
 * Counts the transaction but logs nothing, as there may be tens of thousands a second. Anything after the TXN
 * is a protocol error.
 */
final class TransactionResponder extends ChannelInboundHandlerAdapter {
    private final Consumer<String> log;
    private final ServerMetrics metrics;
    private boolean answered;
    private ScheduledFuture<?> timeout;

    TransactionResponder(Consumer<String> log, ServerMetrics metrics) {
        this.log = log;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (answered || !(msg instanceof TxnFrame txn)) {
            throw new ProtocolException("unexpected " + ServerHandshake.describe(msg) + " after TXN");
        }
        answered = true;
        metrics.transaction();
        ctx.writeAndFlush(Protocol.appendTransaction(ctx.alloc().buffer(Protocol.HEADER_LENGTH + txn.size()), txn.size()))
                .addListener(ChannelFutureListener.CLOSE);
        // a client that never reads its answer does not hold the connection, and the answer's buffer, for long
        timeout = ctx.executor().schedule(() -> {
            metrics.connectionError();
            log.accept("event=closed peer=" + ctx.channel().remoteAddress() + " reason=\"TXN answer not read within "
                    + ServerHandshake.HANDSHAKE_TIMEOUT_SECONDS + " s\"");
            ctx.close();
        }, ServerHandshake.HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
