package dev.netbench.server;

import dev.netbench.auth.AgentAuth;
import dev.netbench.admission.ServerMetrics;
import dev.netbench.admission.ServedLine;
import dev.netbench.admission.Limits;
import dev.netbench.admission.IdleTimeout;
import dev.netbench.admission.Admission;
import dev.netbench.auth.Token;
import dev.netbench.cpu.Affinity;
import dev.netbench.cluster.RemoteRunner;
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
import dev.netbench.tcp.Endpoints;
import dev.netbench.session.TestEndpoint;
import dev.netbench.socket.DataSocket;
import dev.netbench.socket.SocketOptions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Waits for the client's HELLO, challenges the client to prove the token when it offers one or must (remote-driven
 * tests, {@code --require-token}), answers ACCEPT with this server's identity (or REJECT with the reason), and
 * replaces itself with the test's endpoint, so the test runs on this same connection; a remote-driven test's HELLO
 * is handed to a {@link RemoteRunner} instead. A connection that opens with a TXN is one tcp_crr transaction,
 * handed to a {@link TransactionResponder}.
 */
final class ServerHandshake extends ChannelInboundHandlerAdapter {
    /** How long past warm-up + duration a test connection may stay open: the client's own wait for RESULT. */
    static final long OVERRUN_GRACE_SECONDS = 30;
    /** How long tcp_crr transactions from a client stay admitted after its authenticated test closes. */
    static final long TRANSACTION_GRACE_SECONDS = 5;

    private final Identity identity;
    private final Consumer<String> log;
    private final ServerMetrics metrics;
    private final ChannelGroup tests;
    private final AtomicBoolean shuttingDown;
    private final AgentAuth auth;
    private final RemoteRunner remote;
    private final IntSupplier httpPort;
    private final Admission admission;
    private ScheduledFuture<?> timeout;
    /** Set while the client owes the PROOF of a CHALLENGE sent for this HELLO. */
    private ControlFrame challenged;
    private String serverNonce;

    ServerHandshake(Identity identity, Consumer<String> log, ServerMetrics metrics, ChannelGroup tests, AtomicBoolean shuttingDown,
                    AgentAuth auth, RemoteRunner remote, IntSupplier httpPort, Admission admission) {
        this.admission = admission;
        this.shuttingDown = shuttingDown;
        this.httpPort = httpPort;
        this.auth = auth;
        this.remote = remote;
        this.identity = identity;
        this.log = log;
        this.metrics = metrics;
        this.tests = tests;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // a deadline from the connect, not an idle timer: a client trickling one byte at a time is cut off all the same
        long nanos = admission.limits().handshakeTimeout().toNanos();
        timeout = ctx.executor().schedule(() -> {
            metrics.connectionError();
            metrics.limitHit("handshake_timeout");
            String missing = challenged != null ? "passed with no PROOF" : "passed with no HELLO";
            log.accept("event=closed peer=" + ctx.channel().remoteAddress() + " reason=\""
                    + Limits.reason("handshake timeout", Limits.seconds(admission.limits().handshakeTimeout()), missing) + "\"");
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
        if (challenged != null) {
            if (!(msg instanceof ControlFrame frame) || frame.type() != FrameType.PROOF) {
                throw new ProtocolException("expected PROOF, got " + describe(msg));
            }
            String expected = auth.token().clientProof(serverNonce, challenged.fields().get("auth.cnonce"), challenged.fields());
            if (!Token.matches(expected, frame.fields().get("auth.proof"))) {
                refuse(ctx, "authentication failed: wrong token");
                return;
            }
            ControlFrame hello = challenged;
            challenged = null;
            if (shuttingDown.get()) { // it may have begun during the extra round trip
                reject(ctx, "agent shutting down");
                return;
            }
            admit(ctx, hello, auth.token().serverProof(serverNonce, hello.fields().get("auth.cnonce"), hello.fields()));
            return;
        }
        if (msg instanceof TxnFrame) {
            InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            if (!auth.mayTransact(client)) {
                refuse(ctx, "tcp_crr transaction from an address without an authenticated tcp_crr test");
                return;
            }
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
        String op = frame.fields().get("op");
        if (op != null && !op.equals(RemoteRunner.OP) && !op.equals(RemoteRunner.IDENTITY_OP)) {
            reject(ctx, "unknown op '" + op + "'");
            return;
        }
        boolean remoteRun = RemoteRunner.OP.equals(op);
        String clientNonce = frame.fields().get("auth.cnonce");
        if (remoteRun && auth.token() == null) {
            reject(ctx, "remote-driven tests need a token on this agent (--token-file or " + Token.ENV + ")");
            return;
        }
        if (clientNonce == null && (remoteRun || auth.required())) {
            refuse(ctx, (remoteRun ? "remote-driven tests need" : "this agent requires") + " a token: give the client "
                    + "--token-file or " + Token.ENV);
            return;
        }
        if (clientNonce == null || auth.token() == null) {
            admit(ctx, frame, null); // no token here: a client's offer of one is ignored, the test unauthenticated
            return;
        }
        if (!Token.isNonce(clientNonce)) {
            reject(ctx, "malformed auth.cnonce");
            return;
        }
        challenged = frame;
        serverNonce = Token.nonce();
        ctx.writeAndFlush(Protocol.control(ctx.alloc(), FrameType.CHALLENGE, Fields.builder().put("auth.snonce", serverNonce).build()),
                ctx.voidPromise());
    }

    /** The HELLO passed authentication ({@code serverProof} for the client) or needs none (null): start its test. */
    private void admit(ChannelHandlerContext ctx, ControlFrame hello, String serverProof) {
        Fields.Builder b = Fields.builder().putAll(identity.toFields(), "");
        if (serverProof != null) {
            b.put("auth.sproof", serverProof);
        }
        Fields accept = b.build();
        if (RemoteRunner.IDENTITY_OP.equals(hello.fields().get("op"))) {
            // where this agent's HTTP target listens: an orchestrator points other agents' http tests at it
            accept = Fields.builder().putAll(accept, "").put("agent.http_port", httpPort.getAsInt()).build();
            ctx.pipeline().remove(this);
            ctx.writeAndFlush(Protocol.control(ctx.alloc(), FrameType.ACCEPT, accept)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (RemoteRunner.OP.equals(hello.fields().get("op"))) {
            ChannelHandler run;
            try {
                run = remote.start(hello.fields(), admission);
            } catch (ProtocolException e) {
                reject(ctx, e.getMessage());
                return;
            }
            accept = Fields.builder().putAll(accept, "").put(RemoteRunner.TAKES_SOCKET_KNOBS, true).build();
            ctx.writeAndFlush(Protocol.control(ctx.alloc(), FrameType.ACCEPT, accept), ctx.voidPromise());
            ctx.pipeline().replace(this, "remote", run);
            return;
        }
        TestSpec spec;
        try {
            spec = TestSpec.fromFields(hello.fields());
        } catch (ProtocolException e) {
            reject(ctx, e.getMessage());
            return;
        }
        if (spec.kind().carrier() != TestKind.Carrier.TCP) {
            reject(ctx, spec.kind().wireName() + " runs over UDP, not over a TCP connection");
            return;
        }
        if (spec.cpu() >= 0 && Affinity.problem(spec.cpu()) != null) {
            reject(ctx, "-T: on the agent, " + Affinity.problem(spec.cpu()));
            return;
        }
        Admission.Ticket ticket;
        try {
            ticket = admission.admit(spec);
        } catch (Admission.Refused e) {
            reject(ctx, e.getMessage());
            return;
        }
        if (spec.kind() == TestKind.TCP_BW) {
            // the connection was accepted before its test was known: its data socket takes the test's knobs now
            // (TCP_NODELAY off unless asked for, as qperf and iperf3 stream), and ACCEPT says what the kernel granted;
            // only once admitted, as -Z's file of zeros is memory the admission counted
            try {
                DataSocket.applyAccepted(ctx.channel(), spec);
            } catch (SocketOptions.Failed e) {
                ticket.release();
                reject(ctx, "tcp_bw socket options: " + e.getMessage());
                return;
            }
            accept = Fields.builder().putAll(accept, "").putAll(DataSocket.read(ctx.channel()).toFields(), "sock.").build();
        }
        String client = hello.fields().get("client.hostname");
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
        InetAddress clientAddress = ((InetSocketAddress) ch.remoteAddress()).getAddress();
        boolean transactions = spec.kind() == TestKind.TCP_CRR && serverProof != null;
        if (transactions) {
            auth.transactionsOpened(clientAddress);
        }
        ch.closeFuture().addListener(f -> {
            deadline.cancel(false);
            ticket.release();
            metrics.testClosed();
            if (transactions) {
                // the client's last transactions may still be connecting as the test's own connection closes
                ch.eventLoop().schedule(() -> auth.transactionsClosed(clientAddress), TRANSACTION_GRACE_SECONDS, TimeUnit.SECONDS);
            }
        });
        ctx.writeAndFlush(Protocol.control(ctx.alloc(), FrameType.ACCEPT, accept), ctx.voidPromise());
        ctx.pipeline().replace(this, "test", Endpoints.create(spec, TestEndpoint.Side.server(served)));
        if (spec.kind() != TestKind.TCP_CRR) {
            // tcp_crr's control connection is silent from MARK to END by design; its overrun deadline bounds it
            ctx.pipeline().addBefore("test", "idle", new IdleTimeout(admission.limits().idleTimeout(), metrics, log));
        }
    }

    /** An authentication refusal: rejected like any other, but logged rate-limited (a scanner must not flood the log). */
    private void refuse(ChannelHandlerContext ctx, String reason) {
        auth.refused(ctx.channel().remoteAddress(), reason);
        sendReject(ctx, reason);
    }

    private void reject(ChannelHandlerContext ctx, String reason) {
        log.accept("event=rejected peer=" + ctx.channel().remoteAddress() + " reason=\"" + reason.replace("\"", "'") + "\"");
        sendReject(ctx, reason);
    }

    /** REJECT with the reason, then close; the connection is no longer this handler's. */
    private void sendReject(ChannelHandlerContext ctx, String reason) {
        metrics.rejected();
        ctx.pipeline().remove(this);
        ctx.writeAndFlush(Protocol.control(ctx.alloc(), FrameType.REJECT, Fields.builder().put("reason", reason).build()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    static String describe(Object msg) {
        return msg instanceof ControlFrame f ? f.type().toString() : msg instanceof TxnFrame ? "TXN" : "DATA";
    }
}
