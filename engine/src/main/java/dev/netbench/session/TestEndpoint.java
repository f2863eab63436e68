package dev.netbench.session;

import dev.netbench.protocol.ControlFrame;
import dev.netbench.protocol.DataRead;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.FrameDecoder;
import dev.netbench.protocol.FrameType;
import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.TestSpec;
import dev.netbench.protocol.TxnFrame;
import dev.netbench.report.EndFigures;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One end of one test connection, installed after the handshake. Subclasses are the roles of the tests
 * (bulk sender, bulk receiver, pinger, ponger); this class holds what every role shares: the measured window,
 * and the end of the test. At the end the server sends its figures in a RESULT frame and closes; the client
 * waits for that RESULT and completes {@link #outcome()}.
 */
public abstract class TestEndpoint extends ChannelInboundHandlerAdapter {
    protected final TestSpec spec;
    protected final MeasuredWindow window = new MeasuredWindow();
    private final Side side;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    /** Volatile: a sender's thread sets it, the reading thread reads it when RESULT comes. */
    private volatile EndFigures localFigures;
    private ChannelHandlerContext ctx;
    /** The last write handed to Netty: a message may go straight to the socket only once it is done (order). */
    private ChannelFuture queued;
    /** The thread that runs this connection's traffic, or null while it runs on the event loop. */
    private Pump pump;

    /** Which end this is; the server side reports each finished test to {@code served}. */
    public record Side(boolean server, BiConsumer<TestSpec, EndFigures> served) {
        public static final Side CLIENT = new Side(false, (s, f) -> { });

        public static Side server(BiConsumer<TestSpec, EndFigures> served) {
            return new Side(true, served);
        }
    }

    protected TestEndpoint(TestSpec spec, Side side) {
        this.spec = spec;
        this.side = side;
    }

    public TestSpec spec() {
        return spec;
    }

    public MeasuredWindow window() {
        return window;
    }

    /** Completes when the client has both ends' figures; fails when the test breaks. Client side only. */
    public CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    /** Stops sending anything more of the test: the server is about to abort it. Called on the event loop. */
    public void stop() {
        // roles that only answer have nothing to stop
    }

    /**
     * True for the roles whose traffic runs on a thread of their own ({@link Pump}), blocking in read(2) for the
     * peer (or, with busy-poll, spinning on it), where the socket allows it.
     */
    protected boolean ownThread() {
        return false;
    }

    /**
     * True for the roles whose {@link #start} runs their whole send loop, blocking in write(2) (a bandwidth sender):
     * on a thread of its own, it then runs on another thread beside the one that reads, so what the peer sends
     * (RESULT, ABORT) is read while it sends.
     */
    protected boolean startBlocks() {
        return false;
    }

    /**
     * How this end waited for the peer: {@code blocking} (a thread of its own, in read(2)), {@code busy_poll} (a
     * thread of its own, spinning on read(2)) or {@code event_loop} (epoll_wait(2), then read(2), on Netty's loop).
     */
    public String io() {
        return pump == null ? "event_loop" : pump.mode() == Pump.Mode.BUSY_POLL ? "busy_poll" : "blocking";
    }

    /** Starts the role's traffic if it is the one that moves first; by default the peer moves first. */
    protected void start(ChannelHandlerContext ctx) {
        // wait for the peer
    }

    protected abstract void onData(ChannelHandlerContext ctx, DataRead read);

    /** True for the roles that receive the test's messages (the decoder then takes a zero byte for one). */
    protected boolean receivesMessages() {
        return false;
    }

    /**
     * MARK and END from the peer open and close this end's window. Roles that send the marks themselves
     * override this to refuse them.
     */
    protected void onControl(ChannelHandlerContext ctx, ControlFrame frame) {
        if (frame.type() == FrameType.MARK && !window.wasOpened()) {
            window.open();
        } else if (frame.type() == FrameType.END && window.isOpen()) {
            closeWindow();
            finish(ctx);
        } else {
            throw new ProtocolException(frame.type() + " out of order");
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        FrameDecoder frames = ctx.pipeline().get(FrameDecoder.class);
        if (receivesMessages() && frames != null) {
            frames.expectMessages(spec.msgSize());
        }
        // a connection Netty closes in the moment it leaves its event loop for a thread of its own (Pump) may close
        // unregistered, and then no channelInactive comes: its close still ends the test, a turn of the loop later
        // (after the channelInactive that an ordinary close fires)
        ctx.channel().closeFuture().addListener(f -> {
            if (!ctx.executor().isShuttingDown()) {
                ctx.executor().execute(() -> {
                    if (!outcome.isDone()) {
                        lost();
                    }
                });
            }
        });
        if (side.server()) {
            startTraffic(ctx);
        }
    }

    /** On the event loop: the role's traffic starts, on a thread of its own if it asked for one and may have it. */
    private void startTraffic(ChannelHandlerContext ctx) {
        if (ownThread()) {
            Pump.Mode mode = spec.busyPoll() ? Pump.Mode.BUSY_POLL : Pump.Mode.BLOCKING;
            String unavailable = Pump.unavailable(ctx, mode);
            if (unavailable == null) {
                pump = Pump.of(this, ctx, mode);
                pump.start(() -> start(ctx), startBlocks());
                return;
            }
            if (cpu() >= 0) {
                // an event loop serves other connections too: it is not this test's to pin
                exceptionCaught(ctx, new IllegalStateException("CPU affinity (-T) needs the test's own thread, which this end "
                        + "cannot have: " + unavailable));
                return;
            }
        }
        start(ctx);
    }

    /** The CPU this end's thread runs on (-T), -1 for none in particular. */
    int cpu() {
        return spec.cpu();
    }

    /**
     * Client side: starts the test. The client calls it once every connection of a parallel test has been
     * accepted, so that all streams start together and their measured windows coincide.
     */
    public void begin() {
        ctx.executor().execute(() -> startTraffic(ctx));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg == Pump.ACTIVITY) {
            return;
        }
        if (msg instanceof DataRead read) {
            onData(ctx, read);
        } else if (msg instanceof ControlFrame frame) {
            if (frame.type() == FrameType.RESULT && !side.server()) {
                onResult(ctx, frame.fields());
            } else if (frame.type() == FrameType.ABORT && !side.server()) {
                outcome.completeExceptionally(new Aborted(frame.fields().get("reason")));
                ctx.close();
            } else if (frame.type() == FrameType.MARK || frame.type() == FrameType.END) {
                onControl(ctx, frame);
            } else {
                throw new ProtocolException("unexpected " + frame.type() + " frame during " + spec.kind().wireName());
            }
        } else if (msg instanceof TxnFrame) {
            throw new ProtocolException("unexpected TXN frame during " + spec.kind().wireName());
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    /** Writes and flushes an empty control frame (MARK, END). */
    protected final void write(ChannelHandlerContext ctx, FrameType type) {
        queue(ctx, Protocol.control(ctx.alloc(), type, Fields.EMPTY));
    }

    /** Hands {@code buf} to Netty, which writes it now or, when the socket is full, as soon as it has room. */
    protected final void queue(ChannelHandlerContext ctx, ByteBuf buf) {
        if (onOwnThread()) {
            try {
                pump.write(buf);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            queued = ctx.writeAndFlush(buf);
        }
    }

    /**
     * The thread this connection's traffic runs on when the caller is on it, else null: on the event loop (before
     * the connection has left it) writes go through Netty.
     */
    final Pump pump() {
        Pump p = pump;
        return p != null && p.owns() ? p : null;
    }

    /** True on the thread of its own this connection's traffic runs on: a role's loop may then block. */
    protected final boolean onOwnThread() {
        return pump() != null;
    }

    /** True when every write handed to Netty has gone to the socket (or failed). */
    protected final boolean writesDone() {
        return queued == null || queued.isDone();
    }

    /** Runs {@code next} on the event loop once every write handed to Netty is done. */
    protected final void whenWritesDone(Runnable next) {
        queued.addListener(f -> next.run());
    }

    /**
     * Closes this end's measured window and keeps its figures: before the END that closes the peer's, whose RESULT
     * the client may read on another thread than the one that sent END.
     */
    protected final EndFigures closeWindow() {
        localFigures = window.close().withIo(io());
        return localFigures;
    }

    /**
     * This end's measured window is over ({@link #closeWindow}): the server reports and closes, the client waits for
     * the server's RESULT.
     */
    protected final void finish(ChannelHandlerContext ctx) {
        EndFigures local = localFigures;
        if (side.server()) {
            side.served().accept(spec, local);
            ByteBuf result = Protocol.control(ctx.alloc(), FrameType.RESULT, local.toFields());
            Pump own = pump();
            if (own != null) {
                queue(ctx, result);
                own.finish();
            } else {
                ctx.writeAndFlush(result).addListener(ChannelFutureListener.CLOSE);
            }
        } else if (!onOwnThread()) {
            ctx.flush();
        }
    }

    private void onResult(ChannelHandlerContext ctx, Fields fields) {
        if (localFigures == null) {
            throw new ProtocolException("RESULT before the end of the test");
        }
        outcome.complete(new Outcome(localFigures, EndFigures.fromFields(fields)));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        lost();
        ctx.fireChannelInactive();
    }

    private void lost() {
        window.abandon();
        outcome.completeExceptionally(new ConnectionLost(window.wasOpened()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (side.server()) {
            ctx.fireExceptionCaught(cause);
        } else {
            outcome.completeExceptionally(cause);
        }
        ctx.close();
    }

    /** The server stopped the test before its end, and said why. */
    public static final class Aborted extends RuntimeException {
        public Aborted(String reason) {
            super(reason == null ? "no reason given" : reason, null, false, false);
        }
    }

    /** The connection closed before the test's end-of-test exchange. */
    public static final class ConnectionLost extends RuntimeException {
        public ConnectionLost(boolean measuring) {
            super(measuring ? "connection closed during the measured window" : "connection closed before the test started", null, false, false);
        }
    }
}
