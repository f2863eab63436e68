package dev.netbench.tcp;

import dev.netbench.protocol.ControlFrame;
import dev.netbench.protocol.DataRead;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.TestSpec;
import dev.netbench.session.MessageSender;
import dev.netbench.session.TestEndpoint;
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
    static final class Sender extends MessageSender {
        Sender(TestSpec spec, Side side) {
            super(spec, side);
        }

        @Override
        protected void start(ChannelHandlerContext ctx) {
            window.sampleSenderTcp(new TcpInfoProbe(ctx.channel()));
            startClock();
            pump(ctx);
        }

        private void pump(ChannelHandlerContext ctx) {
            int messages = 0;
            long bytes = 0;
            while (ctx.channel().isWritable()) {
                if (tick(ctx, System.nanoTime())) {
                    return;
                }
                send(ctx);
                bytes += spec.msgSize();
                if (++messages == MESSAGES_PER_TURN || bytes >= BYTES_PER_TURN) {
                    ctx.executor().execute(() -> pump(ctx));
                    return;
                }
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && !ended()) {
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
    }

    /** Counts DATA between MARK and END; its window is the receiver's clock from MARK's arrival to END's. */
    static final class Receiver extends TestEndpoint {
        Receiver(TestSpec spec, Side side) {
            super(spec, side);
        }

        @Override
        protected void onData(ChannelHandlerContext ctx, DataRead read) {
            window.received(read.bytes(), read.messagesCompleted());
        }
    }
}
