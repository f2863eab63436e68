package dev.netbench.iperf3;

import dev.netbench.session.Pacer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One TCP stream of an iperf3 test, at either end (the agent's, or netbench's iperf3 client's): a data connection
 * that opened with the test's cookie. Until the test starts it discards what arrives; then it counts what the peer
 * sends, or sends blocks of the test's block size, paced to the test's rate if it has one. Lives on its own
 * channel's event loop; the test reaches it only through {@link #start} and {@link #finish}.
 */
final class Iperf3TcpStream extends ChannelInboundHandlerAdapter {
    private static final int BLOCKS_PER_TURN = 64;
    private final Channel channel;
    private final long accepted;
    private ChannelHandlerContext ctx;
    private int id;
    private boolean sending;
    private boolean started;
    private boolean stopped;
    private long measureFrom;
    private long bytes;
    private ByteBuf block;
    private Pacer pacer;
    private long blocksSent;
    private long retransmitsAtStart;
    /** Blocks sent or reads made, and their bytes, since the start, omitted time included: a client's intervals. */
    private volatile long allBytes;
    private volatile long allPackets;

    /** {@code accepted}: when the agent accepted the connection, which orders its streams (a client's: any). */
    Iperf3TcpStream(Channel channel, long accepted) {
        this.channel = channel;
        this.accepted = accepted;
    }

    long accepted() {
        return accepted;
    }

    Channel channel() {
        return channel;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    /** Starts counting or sending; {@code block} is the test's block (the stream takes its own reference). */
    void start(int id, boolean sending, long measureFrom, ByteBuf block, long bitsPerSecond) {
        channel.eventLoop().execute(() -> {
            this.id = id;
            this.sending = sending;
            this.measureFrom = measureFrom;
            this.started = true;
            this.retransmitsAtStart = totalRetransmits();
            if (sending && !stopped && channel.isActive()) {
                this.block = block.retainedDuplicate();
                pacer = new Pacer(bitsPerSecond, block.readableBytes(), 1, System.nanoTime());
                pump();
            }
        });
    }

    /**
     * Stops the stream and reports its figures, {@code seconds} being the test's measured time; with {@code close}
     * (the agent, at TEST_END) the connection closes too, else (a client) it drains what still comes until closed.
     */
    CompletableFuture<StreamFigures> finish(double seconds, boolean close) {
        CompletableFuture<StreamFigures> done = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            stopped = true;
            long retransmits = sending && retransmitsAtStart >= 0 ? totalRetransmits() - retransmitsAtStart : -1;
            done.complete(new StreamFigures(id, sending, bytes, retransmits, 0, 0, 0, 0, seconds));
            release();
            if (close) {
                channel.close();
            }
        });
        return done;
    }

    /** Closes a stream the test never started (it did not ask for it, or it ended first). */
    void reject() {
        channel.eventLoop().execute(() -> {
            stopped = true;
            channel.close();
        });
    }

    /** The kernel's count of retransmitted segments on this connection, -1 where TCP_INFO is not at hand (NIO). */
    long totalRetransmits() {
        return channel instanceof EpollSocketChannel e && e.isActive() ? e.tcpInfo().totalRetrans() : -1;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ByteBuf b && started && !sending && !stopped) {
                allBytes += b.readableBytes();
                allPackets++;
                if (System.nanoTime() - measureFrom >= 0) {
                    bytes += b.readableBytes();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable() && sending && started && !stopped) {
            pump();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void pump() {
        int blocks = 0;
        while (!stopped && block != null && channel.isWritable()) {
            long now = System.nanoTime();
            long wait = pacer.nanosUntilNext(now, blocksSent);
            if (wait > 0) {
                channel.eventLoop().schedule(this::pump, Math.max(1000, wait), TimeUnit.NANOSECONDS);
                return;
            }
            int n = block.readableBytes();
            ctx.writeAndFlush(block.retainedDuplicate(), ctx.voidPromise());
            blocksSent++;
            allBytes += n;
            allPackets++;
            if (now - measureFrom >= 0) {
                bytes += n;
            }
            if (++blocks == BLOCKS_PER_TURN) {
                channel.eventLoop().execute(this::pump); // other connections on this loop get their turn
                return;
            }
        }
    }

    private void release() {
        if (block != null) {
            block.release();
            block = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // iperf3 clients reset their data connections at the end of a test as a matter of course: the control
        // connection, not a data connection's error, says how a test went
        ctx.close();
    }

    int id() {
        return id;
    }

    long allBytes() {
        return allBytes;
    }

    long allPackets() {
        return allPackets;
    }
}
