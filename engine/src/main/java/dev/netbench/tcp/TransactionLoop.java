package dev.netbench.tcp;

import dev.netbench.latency.LatencyRecorder;
import dev.netbench.protocol.DataRead;
import dev.netbench.protocol.FrameDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * One of tcp_crr's -P transaction loops, confined to its event loop: connect, write preamble + TXN, read the TXN
 * answer and the server's close, close, record; then the next, until the driver ends the test.
 */
final class TransactionLoop {
    private final TcpConnectRate.Driver driver;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final int msgSize;
    /** This loop's measured transactions; the driver reads them once every loop has finished. */
    final LatencyRecorder connectTimes = new LatencyRecorder();
    final LatencyRecorder transactionTimes = new LatencyRecorder();
    long transactions;
    long failed;

    // the transaction in flight
    private Channel channel;
    private boolean measured;
    private long startedAt;
    private long connectedAt;
    private boolean answered;
    private boolean broken;
    private ScheduledFuture<?> deadline;

    TransactionLoop(TcpConnectRate.Driver driver, EventLoop loop, Bootstrap bootstrap, int msgSize) {
        this.driver = driver;
        this.loop = loop;
        this.msgSize = msgSize;
        this.bootstrap = bootstrap.clone(loop).handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                FrameDecoder frames = new FrameDecoder();
                frames.expectMessages(msgSize);
                ch.pipeline().addLast("frames", frames).addLast("transaction", new Exchange());
            }
        });
    }

    void start() {
        loop.execute(this::next);
    }

    /** The driver has ended the test: the transaction in flight, if any, gets {@code graceNanos} more, then fails. */
    void end(long graceNanos) {
        loop.execute(() -> {
            if (channel != null) {
                Channel inFlight = channel;
                deadline = loop.schedule(() -> inFlight.close(), graceNanos, TimeUnit.NANOSECONDS);
            }
        });
    }

    private void next() {
        TcpConnectRate.Driver.Phase phase = driver.phase();
        if (phase == TcpConnectRate.Driver.Phase.ENDED) {
            if (deadline != null) {
                deadline.cancel(false);
            }
            driver.loopDone();
            return;
        }
        measured = phase == TcpConnectRate.Driver.Phase.MEASURED;
        answered = false;
        broken = false;
        startedAt = System.nanoTime();
        ChannelFuture connect = bootstrap.connect();
        channel = connect.channel();
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                finish(); // refused or timed out: a connection that never opened sees no channelInactive
            }
        });
    }

    /** The transaction in flight is over: a success if its whole answer and the server's close came first. */
    private void finish() {
        long now = System.nanoTime();
        channel = null;
        boolean success = answered && !broken;
        if (success) {
            driver.countProgress(now - startedAt);
        }
        if (measured && success) {
            transactions++;
            connectTimes.record(connectedAt - startedAt);
            transactionTimes.record(now - startedAt);
        } else if (measured) {
            failed++;
        }
        if (success) {
            next();
        } else {
            loop.execute(this::next); // a connect that fails at once must not recurse through finish() and next()
        }
    }

    /** The end of a transaction connection's pipeline: writes the request, checks the answer. */
    private final class Exchange extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connectedAt = System.nanoTime();
            ctx.writeAndFlush(driver.request().retainedDuplicate(), ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            // the answer is one message of the request's size, then the server's close; anything else (a second
            // message, a frame such as REJECT) breaks it
            if (msg instanceof DataRead read && !answered && read.messagesCompleted() <= 1) {
                answered = read.messagesCompleted() == 1;
            } else {
                broken = true;
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            finish();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            broken = true;
            ctx.close();
        }
    }
}
