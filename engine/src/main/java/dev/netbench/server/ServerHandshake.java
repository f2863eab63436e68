package dev.netbench.server;

import dev.netbench.host.Identity;
import dev.netbench.protocol.ControlFrame;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.FrameType;
import dev.netbench.protocol.PreambleDecoder;
import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;
import dev.netbench.protocol.TxnFrame;
import dev.netbench.report.EndFigures;
import dev.netbench.session.Endpoints;
import dev.netbench.session.TestEndpoint;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Waits for the client's HELLO, answers ACCEPT with this server's identity (or REJECT with the reason), and
 * replaces itself with the test's endpoint, so the test runs on this same connection. A connection that opens
 * with a TXN instead is one tcp_crr transaction, handed to a {@link TransactionResponder}.
 */
final class ServerHandshake extends ChannelInboundHandlerAdapter {
    /** How long past warm-up + duration a test connection may stay open: the client's own wait for RESULT. */
    static final long OVERRUN_GRACE_SECONDS = 30;

    private final Identity identity;
    private final Consumer<String> log;
    private final ServerMetrics metrics;
    private final ChannelGroup tests;
    private final AtomicBoolean shuttingDown;
    private final Admission admission;
    private ScheduledFuture<?> timeout;

    ServerHandshake(Identity identity, Consumer<String> log, ServerMetrics metrics, ChannelGroup tests, AtomicBoolean shuttingDown,
                    Admission admission) {
        this.shuttingDown = shuttingDown;
        this.identity = identity;
        this.log = log;
        this.metrics = metrics;
        this.tests = tests;
        this.admission = admission;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // a deadline from the connect, not an idle timer: a client trickling one byte at a time is cut off all the same
        long nanos = admission.limits().handshakeTimeout().toNanos();
        timeout = ctx.executor().schedule(() -> {
            metrics.connectionError();
            metrics.limitHit("handshake_timeout");
            log.accept("event=closed peer=" + ctx.channel().remoteAddress() + " reason=\""
                    + Limits.reason("handshake timeout", Limits.seconds(admission.limits().handshakeTimeout()), "passed with no HELLO") + "\"");
            ctx.close();
        }, nanos, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof PreambleDecoder.UnsupportedVersion v) {
            reject(ctx, "protocol version " + v.version() + " is not supported; this server speaks version " + Protocol.VERSION);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof TxnFrame) {
            ctx.pipeline().replace(this, "transaction", new TransactionResponder(log, metrics, admission.limits().handshakeTimeout()));
            ctx.fireChannelRead(msg); // reaches the responder, which took this handler's place
            return;
        }
        if (!(msg instanceof ControlFrame frame) || frame.type() != FrameType.HELLO) {
            throw new ProtocolException("expected HELLO or TXN, got " + describe(msg));
        }
        if (shuttingDown.get()) {
            reject(ctx, "agent shutting down");
            return;
        }
        TestSpec spec;
        try {
            spec = TestSpec.fromFields(frame.fields());
        } catch (ProtocolException e) {
            reject(ctx, e.getMessage());
            return;
        }
        if (spec.kind().carrier() != TestKind.Carrier.TCP) {
            reject(ctx, spec.kind().wireName() + " runs over UDP, not over a TCP connection");
            return;
        }
        Admission.Ticket ticket;
        try {
            ticket = admission.admit(spec);
        } catch (Admission.Refused e) {
            reject(ctx, e.getMessage());
            return;
        }
        String client = frame.fields().get("client.hostname");
        String peer = String.valueOf(ctx.channel().remoteAddress());
        BiConsumer<TestSpec, EndFigures> served = (s, figures) -> {
            metrics.served(s.kind(), figures);
            log.accept(ServedLine.format(s, peer, client, figures));
        };
        metrics.testStarted();
        tests.add(ctx.channel());
        // a client that stops reading or never ends its test does not hold the connection (and its buffers) forever
        Channel ch = ctx.channel();
        long overrun = spec.warmupNanos() + spec.durationNanos() + TimeUnit.SECONDS.toNanos(OVERRUN_GRACE_SECONDS);
        ScheduledFuture<?> deadline = ctx.executor().schedule(() -> {
            metrics.connectionError();
            log.accept("event=closed peer=" + peer + " reason=\"test still open " + OVERRUN_GRACE_SECONDS + " s after its end\"");
            ch.close();
        }, overrun, TimeUnit.NANOSECONDS);
        ch.closeFuture().addListener(f -> {
            deadline.cancel(false);
            ticket.release();
            metrics.testClosed();
        });
        ctx.writeAndFlush(Protocol.control(ctx.alloc(), FrameType.ACCEPT, identity.toFields()), ctx.voidPromise());
        ctx.pipeline().replace(this, "test", Endpoints.create(spec, TestEndpoint.Side.server(served)));
        if (spec.kind() != TestKind.TCP_CRR) {
            // tcp_crr's control connection is silent from MARK to END by design; its overrun deadline bounds it
            ctx.pipeline().addBefore("test", "idle", new IdleTimeout(admission.limits().idleTimeout(), metrics, log));
        }
    }

    private void reject(ChannelHandlerContext ctx, String reason) {
        metrics.rejected();
        log.accept("event=rejected peer=" + ctx.channel().remoteAddress() + " reason=\"" + reason.replace("\"", "'") + "\"");
        ctx.pipeline().remove(this);
        ctx.writeAndFlush(Protocol.control(ctx.alloc(), FrameType.REJECT, Fields.builder().put("reason", reason).build()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    static String describe(Object msg) {
        return msg instanceof ControlFrame f ? f.type().toString() : msg instanceof TxnFrame ? "TXN" : "DATA";
    }
}
