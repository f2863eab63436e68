package dev.netbench.tcp;

import dev.netbench.latency.LatencyRecorder;
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
 * tcp_lat: the client sends one message of msg_size bytes and waits for the server's message of the same size
 * before it sends the next (ping-pong, one message in flight). Each round trip is timed on the client.
 */
public final class TcpLatency {
    private TcpLatency() {
    }

    public static TestEndpoint endpoint(TestSpec spec, TestEndpoint.Side side) {
        return side.server() ? new Ponger(spec, side) : new Pinger(spec, side);
    }

    /** Owns the one reusable frame both roles send. */
    private abstract static class Role extends TestEndpoint {
        protected ByteBuf frame;

        Role(TestSpec spec, Side side) {
            super(spec, side);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            frame = Protocol.dataFrame(spec.msgSize());
            super.handlerAdded(ctx);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            frame.release();
        }

        protected void send(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(frame.retainedDuplicate(), ctx.voidPromise());
            window.sent(spec.msgSize(), 1);
        }
    }

    /** Client: times every round trip into a {@link LatencyRecorder} while the window is open. */
    public static final class Pinger extends Role {
        private final LatencyRecorder recorder = new LatencyRecorder();
        private long markAt;
        private long endAt;
        private long sentAt;
        private boolean ended;

        Pinger(TestSpec spec, Side side) {
            super(spec, side);
        }

        /** Read it once {@link #outcome()} has completed. */
        public LatencyRecorder recorder() {
            return recorder;
        }

        @Override
        protected void start(ChannelHandlerContext ctx) {
            markAt = System.nanoTime() + spec.warmupNanos();
            endAt = markAt + spec.durationNanos();
            next(ctx, System.nanoTime());
        }

        @Override
        protected void onData(ChannelHandlerContext ctx, DataRead read) {
            long now = System.nanoTime();
            boolean measured = window.isOpen();
            window.received(read.bytes(), read.messagesCompleted());
            if (read.messagesCompleted() == 0) {
                return;
            }
            if (read.messagesCompleted() > 1 || ended) {
                throw new ProtocolException("server sent more messages than it was sent");
            }
            if (measured) {
                recorder.record(now - sentAt);
            }
            next(ctx, now);
        }

        private void next(ChannelHandlerContext ctx, long now) {
            if (!window.wasOpened() && now - markAt >= 0) {
                write(ctx, FrameType.MARK);
                window.open();
            }
            if (window.wasOpened() && now - endAt >= 0) {
                ended = true;
                write(ctx, FrameType.END);
                finish(ctx, window.close());
                return;
            }
            sentAt = System.nanoTime();
            send(ctx);
        }

        @Override
        protected void onControl(ChannelHandlerContext ctx, ControlFrame frame) {
            throw new ProtocolException("the server of a tcp_lat test sent " + frame.type());
        }
    }

    /** Server: answers every complete message with one of the same size. */
    static final class Ponger extends Role {
        Ponger(TestSpec spec, Side side) {
            super(spec, side);
        }

        @Override
        protected void start(ChannelHandlerContext ctx) {
            // the client moves first
        }

        @Override
        protected void onData(ChannelHandlerContext ctx, DataRead read) {
            window.received(read.bytes(), read.messagesCompleted());
            for (int i = 0; i < read.messagesCompleted(); i++) {
                send(ctx);
            }
        }
    }
}
