package dev.netbench.tcp;

import dev.netbench.latency.IntervalLatency;
import dev.netbench.latency.LatencyRecorder;
import dev.netbench.protocol.ControlFrame;
import dev.netbench.protocol.DataRead;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.TestSpec;
import dev.netbench.session.MessageSender;
import dev.netbench.session.TestEndpoint;
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

    /** Client: times every round trip into a {@link LatencyRecorder} while the window is open. */
    public static final class Pinger extends MessageSender implements IntervalLatency.Timed {
        private final LatencyRecorder recorder = new LatencyRecorder();
        private IntervalLatency intervals;
        private long sentAt;

        Pinger(TestSpec spec, Side side) {
            super(spec, side);
        }

        /** Read it once {@link #outcome()} has completed. */
        public LatencyRecorder recorder() {
            return recorder;
        }

        @Override
        public void recordIntervals(IntervalLatency intervals) {
            this.intervals = intervals;
        }

        @Override
        protected boolean receivesMessages() {
            return true;
        }

        @Override
        protected boolean ownThread() {
            return true;
        }

        @Override
        protected void start(ChannelHandlerContext ctx) {
            startClock();
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
            if (read.messagesCompleted() > 1 || ended()) {
                throw new ProtocolException("server sent more messages than it was sent");
            }
            if (measured) {
                recorder.record(now - sentAt);
            }
            if (intervals != null) {
                intervals.record(now - sentAt);
            }
            next(ctx, now);
        }

        private void next(ChannelHandlerContext ctx, long now) {
            if (!tick(ctx, now)) {
                sentAt = System.nanoTime();
                send(ctx, 1);
            }
        }

        @Override
        protected void onControl(ChannelHandlerContext ctx, ControlFrame frame) {
            throw new ProtocolException("the server of a tcp_lat test sent " + frame.type());
        }
    }

    /** Server: answers every complete message with one of the same size. */
    static final class Ponger extends MessageSender {
        Ponger(TestSpec spec, Side side) {
            super(spec, side);
        }

        @Override
        protected boolean receivesMessages() {
            return true;
        }

        @Override
        protected boolean ownThread() {
            return true;
        }

        @Override
        protected void onData(ChannelHandlerContext ctx, DataRead read) {
            window.received(read.bytes(), read.messagesCompleted());
            for (int i = 0; i < read.messagesCompleted(); i++) {
                send(ctx, 1);
            }
        }
    }
}
