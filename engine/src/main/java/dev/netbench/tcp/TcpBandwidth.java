package dev.netbench.tcp;

import dev.netbench.socket.TcpInfoProbe;
import dev.netbench.protocol.ControlFrame;
import dev.netbench.protocol.DataRead;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.TestSpec;
import dev.netbench.session.MessageSender;
import dev.netbench.session.TestEndpoint;
import io.netty.channel.ChannelHandlerContext;

/**
 * tcp_bw: one end streams messages of msg_size bytes for warm-up + duration, the other counts them.
 * The client sends unless the test is reversed (-R), in which case the server does.
 */
public final class TcpBandwidth {
    /**
     * What one turn of the send loop sends before it reads the clock and yields the loop to other connections. The
     * byte bound keeps a turn short on a slow path, where MARK and END would otherwise wait for a whole turn: 1 MiB
     * turns took 0.7 s at 12 Mbit/s, so -P streams' windows missed each other by that much and their goodputs,
     * summed, exceeded the link's.
     */
    private static final int MESSAGES_PER_TURN = 256;
    private static final long BYTES_PER_TURN = 64 << 10;

    private TcpBandwidth() {
    }

    public static TestEndpoint endpoint(TestSpec spec, TestEndpoint.Side side) {
        return side.server() == spec.reverse() ? new Sender(spec, side) : new Receiver(spec, side);
    }

    /**
     * Sends messages in turns: one send per message while the socket takes them, the clock read once a turn, and
     * the loop yielded to other connections between turns; a full socket pauses it until Netty has written what
     * it holds.
     */
    static final class Sender extends MessageSender {
        private final int messagesPerTurn;

        Sender(TestSpec spec, Side side) {
            super(spec, side);
            messagesPerTurn = (int) Math.max(1, Math.min(MESSAGES_PER_TURN, BYTES_PER_TURN / spec.msgSize()));
        }

        @Override
        protected boolean ownThread() {
            return true;
        }

        @Override
        protected boolean startBlocks() {
            return true;
        }

        @Override
        protected void start(ChannelHandlerContext ctx) {
            window.sampleSenderTcp(new TcpInfoProbe(ctx.channel()));
            startClock();
            if (onOwnThread()) {
                // each send blocks until the socket takes the message whole; the clock is read once a turn
                while (!tick(ctx, System.nanoTime())) {
                    send(ctx, messagesPerTurn);
                }
            } else {
                pump(ctx);
            }
        }

        private void pump(ChannelHandlerContext ctx) {
            if (tick(ctx, System.nanoTime()) || !ctx.channel().isActive()) {
                return;
            }
            if (!writesDone()) {
                whenWritesDone(() -> pump(ctx));
                return;
            }
            send(ctx, messagesPerTurn);
            if (writesDone()) {
                ctx.executor().execute(() -> pump(ctx));
            } else {
                whenWritesDone(() -> pump(ctx));
            }
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

    /** Counts messages between MARK and END; its window is the receiver's clock from MARK's arrival to END's. */
    static final class Receiver extends TestEndpoint {
        Receiver(TestSpec spec, Side side) {
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
        }
    }
}
