package dev.netbench.tcp;

import dev.netbench.latency.IntervalLatency;
import dev.netbench.latency.LatencyRecorder;
import dev.netbench.protocol.ControlFrame;
import dev.netbench.protocol.DataRead;
import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.TestSpec;
import dev.netbench.session.ClockedEndpoint;
import dev.netbench.session.Outcome;
import dev.netbench.session.TestEndpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * tcp_crr (netperf's TCP_CRR): transactions per second, each a new TCP connection that carries one request and
 * one response of msg_size bytes and is closed. The test's control connection carries the handshake, MARK, END
 * and the server's RESULT (its CPU) and no data; the client's -P transaction loops open connections of their own
 * to the same address (docs/protocol.md), which the server answers with a TXN and closes.
 */
public final class TcpConnectRate {
    private TcpConnectRate() {
    }

    public static TestEndpoint endpoint(TestSpec spec, TestEndpoint.Side side) {
        return side.server() ? new Window(spec, side) : new Driver(spec, side);
    }

    /** Server, control connection: the window opens at MARK, END is answered with RESULT; no data ever. */
    static final class Window extends TestEndpoint {
        Window(TestSpec spec, Side side) {
            super(spec, side);
        }

        @Override
        protected void onData(ChannelHandlerContext ctx, DataRead read) {
            throw new ProtocolException("the client sent data on a tcp_crr control connection");
        }
    }

    /**
     * Client, control connection: runs the test's clock and the -P transaction loops, spread over the client's event
     * loops. Transactions started while the window is open are measured. After END none starts, and
     * {@link #outcome()} completes once the server's RESULT is in and the transactions in flight have finished.
     */
    public static final class Driver extends ClockedEndpoint implements IntervalLatency.Timed {
        enum Phase { WARM_UP, MEASURED, ENDED }

        private final List<TransactionLoop> loops = new ArrayList<>();
        private final AtomicInteger running = new AtomicInteger();
        private final CompletableFuture<Void> loopsDone = new CompletableFuture<>();
        private final CompletableFuture<Outcome> outcome = super.outcome().thenCombine(loopsDone, (result, done) -> result);
        private final LongAdder progress = new LongAdder();
        private final LatencyRecorder connectTimes = new LatencyRecorder();
        private final LatencyRecorder transactionTimes = new LatencyRecorder();
        private long transactions;
        private long failed;
        /** Set before the loops start; null without -i. */
        private IntervalLatency intervals;
        /** Read by the loops on their own event loops. */
        private volatile Phase phase = Phase.WARM_UP;
        private ByteBuf request;
        private long graceNanos;

        Driver(TestSpec spec, Side side) {
            super(spec, side);
        }

        @Override
        public CompletableFuture<Outcome> outcome() {
            return outcome;
        }

        @Override
        protected void start(ChannelHandlerContext ctx) {
            if (ended()) {
                return; // the control connection closed before the test began
            }
            Channel control = ctx.channel();
            int connectTimeoutMillis = control.config().getConnectTimeoutMillis();
            // each transaction is a new connection to where the control connection went, made the same way
            Bootstrap bootstrap = new Bootstrap()
                    .channel(control.getClass())
                    .remoteAddress(control.remoteAddress())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                    .option(ChannelOption.TCP_NODELAY, true);
            graceNanos = TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis);
            request = Protocol.appendTransaction(Protocol.preamble(ctx.alloc(), Protocol.VERSION), spec.msgSize());
            EventLoopGroup group = control.eventLoop().parent();
            for (int i = 0; i < spec.streams(); i++) {
                loops.add(new TransactionLoop(this, group.next(), bootstrap, spec.msgSize()));
            }
            running.set(loops.size());
            startClock();
            clock(ctx);
            loops.forEach(TransactionLoop::start);
        }

        /** MARK and END at their times; no traffic on this connection drives the clock, so a timer does. */
        private void clock(ChannelHandlerContext ctx) {
            if (ended()) {
                return; // the control connection closed
            }
            long now = System.nanoTime();
            if (tick(ctx, now)) {
                endLoops();
                return;
            }
            ctx.flush();
            if (window.isOpen()) {
                phase = Phase.MEASURED;
            }
            ctx.executor().schedule(() -> clock(ctx), nextTickAt() - now, TimeUnit.NANOSECONDS);
        }

        /** Starts no more transactions; one in flight gets the connect timeout to finish, then fails. */
        private void endLoops() {
            phase = Phase.ENDED;
            if (loops.isEmpty()) {
                loopsDone.complete(null);
            }
            loops.forEach(loop -> loop.end(graceNanos));
        }

        @Override
        protected void onData(ChannelHandlerContext ctx, DataRead read) {
            throw new ProtocolException("the server sent data on a tcp_crr control connection");
        }

        @Override
        protected void onControl(ChannelHandlerContext ctx, ControlFrame frame) {
            throw new ProtocolException("the server of a tcp_crr test sent " + frame.type());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!ended()) {
                stop();
                endLoops();
            }
            super.channelInactive(ctx);
        }

        Phase phase() {
            return phase;
        }

        /** Preamble + TXN: every transaction writes a duplicate of it. */
        ByteBuf request() {
            return request;
        }

        /** A transaction completed, warm-up included, in {@code nanos}: for -i lines. */
        void countProgress(long nanos) {
            progress.increment();
            if (intervals != null) {
                intervals.record(nanos);
            }
        }

        /** A loop has finished; the last one folds every loop's figures together. */
        void loopDone() {
            if (running.decrementAndGet() > 0) {
                return;
            }
            for (TransactionLoop loop : loops) {
                connectTimes.add(loop.connectTimes);
                transactionTimes.add(loop.transactionTimes);
                transactions += loop.transactions;
                failed += loop.failed;
            }
            request.release();
            loopsDone.complete(null);
        }

        @Override
        public void recordIntervals(IntervalLatency intervals) {
            this.intervals = intervals;
        }

        /** Transactions completed so far, warm-up included: what -i progress lines show. */
        public long transactionsSoFar() {
            return progress.sum();
        }

        /** Measured transactions that completed; read it, and the three below, once {@link #outcome()} has completed. */
        public long transactions() {
            return transactions;
        }

        /** Measured transactions that failed: connect refused or timed out, or no whole answer before the close. */
        public long failed() {
            return failed;
        }

        /** connect() called → connection established, per completed transaction. */
        public LatencyRecorder connectTimes() {
            return connectTimes;
        }

        /** connect() called → whole answer and the server's close seen, per completed transaction. */
        public LatencyRecorder transactionTimes() {
            return transactionTimes;
        }
    }
}
