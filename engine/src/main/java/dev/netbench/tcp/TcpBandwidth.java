package dev.netbench.tcp;

import dev.netbench.protocol.ControlFrame;
import dev.netbench.protocol.DataRead;
import dev.netbench.protocol.FrameType;
import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.TestSpec;
import dev.netbench.session.TestEndpoint;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * tcp_bw: one end streams DATA frames of msg_size bytes for warm-up + duration, the other counts them.
 * The client sends unless the test is reversed (-R), in which case the server does.
 */
public final class TcpBandwidth {
    /** Messages one turn of the send loop writes before it yields the event loop to other connections. */
    private static final int MESSAGES_PER_TURN = 64;
    private static final long BYTES_PER_TURN = 1 << 20;

    private TcpBandwidth() {
    }

    public static TestEndpoint endpoint(TestSpec spec, TestEndpoint.Side side) {
        return side.server() == spec.reverse() ? new Sender(spec, side) : new Receiver(spec, side);
    }

    /**
     * Writes and flushes one message at a time (one send() per message while the socket takes it, as qperf does),
     * as long as the channel is writable: Netty's write-buffer water marks bound what is queued in user space.
     */
    static final class Sender extends TestEndpoint {
        private ByteBuf frame;
        private long markAt;
        private long endAt;
        private boolean ended;

        Sender(TestSpec spec, Side side) {
            super(spec, side);
        }

        @Override
        protected void start(ChannelHandlerContext ctx) {
            frame = Protocol.dataFrame(spec.msgSize());
            markAt = System.nanoTime() + spec.warmupNanos();
            endAt = markAt + spec.durationNanos();
            pump(ctx);
        }

        private void pump(ChannelHandlerContext ctx) {
            int messages = 0;
            long bytes = 0;
            while (!ended && ctx.channel().isWritable()) {
                long now = System.nanoTime();
                if (!window.wasOpened() && now - markAt >= 0) {
                    write(ctx, FrameType.MARK);
                    window.open();
                }
                if (now - endAt >= 0) {
                    ended = true;
                    write(ctx, FrameType.END);
                    finish(ctx, window.close());
                    return;
                }
                ctx.writeAndFlush(frame.retainedDuplicate(), ctx.voidPromise());
                window.sent(spec.msgSize(), 1);
                bytes += spec.msgSize();
                if (++messages == MESSAGES_PER_TURN || bytes >= BYTES_PER_TURN) {
                    ctx.executor().execute(() -> pump(ctx));
                    return;
                }
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                pump(ctx);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        protected void onData(ChannelHandlerContext ctx, DataRead read) {
            throw new ProtocolException("the receiver of a tcp_bw test sent data");
        }

        @Override
        protected void onControl(ChannelHandlerContext ctx, ControlFrame frame) {
            throw new ProtocolException("the receiver of a tcp_bw test sent " + frame.type());
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (frame != null) {
                frame.release();
                frame = null;
            }
        }
    }

    /** Counts DATA between MARK and END; its window is the receiver's clock from MARK's arrival to END's. */
    static final class Receiver extends TestEndpoint {
        Receiver(TestSpec spec, Side side) {
            super(spec, side);
        }

        @Override
        protected void start(ChannelHandlerContext ctx) {
            // the sender moves first
        }

        @Override
        protected void onData(ChannelHandlerContext ctx, DataRead read) {
            window.received(read.bytes(), read.messagesCompleted());
        }
    }
}
