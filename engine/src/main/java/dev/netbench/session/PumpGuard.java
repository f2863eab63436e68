package dev.netbench.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * First in the pipeline of a connection a {@link Pump}'s thread owns, until the connection is back on its event loop:
 * others' writes (an agent's ABORT) queue for the thread, or fail once it is done with the socket; others' closes
 * ask it to stop and complete with the close that always follows its end. Its lock is the one under which the
 * thread's end and a request to stop meet.
 */
final class PumpGuard extends ChannelOutboundHandlerAdapter {
    private final Channel channel;
    private final Runnable stop;
    /** Frames others wrote, with their promises; guarded by {@code this}. */
    private final ArrayDeque<Object[]> pending = new ArrayDeque<>();
    private volatile boolean pendingWrites;
    /** Guarded by {@code this}: once true the thread no longer touches the socket. */
    private boolean ended;
    /** On the event loop: the connection is back on it (and about to close). */
    private boolean returned;

    /** {@code stop}: asks the thread to stop, from any thread. */
    PumpGuard(Channel channel, Runnable stop) {
        this.channel = channel;
        this.stop = stop;
    }

    /** Whether others' writes wait for the thread; cheap, for its loop. */
    boolean hasWrites() {
        return pendingWrites;
    }

    /** The oldest write others queued, as {buffer, promise}, or null. */
    synchronized Object[] poll() {
        Object[] next = pending.poll();
        pendingWrites = !pending.isEmpty();
        return next;
    }

    /** Runs {@code action} while the thread still has the socket, under the lock its end takes. */
    synchronized void whileOwned(Runnable action) {
        if (!ended) {
            action.run();
        }
    }

    /** The thread is done with the socket: what others queued fails, and so will what they write from now on. */
    synchronized void ended() {
        ended = true;
        for (Object[] write : pending) {
            ((ByteBuf) write[0]).release();
            ((ChannelPromise) write[1]).tryFailure(new IOException("connection closed"));
        }
        pending.clear();
    }

    /** On the event loop: the connection is the loop's again, and the guard goes. */
    void giveBack(ChannelHandlerContext ctx) {
        returned = true;
        // gone already if the loop read the peer's close before this ran: the pipeline is torn down
        if (ctx.pipeline().get(PumpGuard.class) != null) {
            ctx.pipeline().remove(PumpGuard.class);
        }
    }

    @Override
    public void write(ChannelHandlerContext guard, Object msg, ChannelPromise promise) {
        if (returned) {
            guard.write(msg, promise);
            return;
        }
        synchronized (this) {
            if (!ended && msg instanceof ByteBuf buf) {
                pending.add(new Object[] {buf, promise});
                pendingWrites = true;
                return;
            }
        }
        ReferenceCountUtil.release(msg);
        promise.tryFailure(new IOException("the test's traffic is over"));
    }

    @Override
    public void flush(ChannelHandlerContext guard) {
        if (returned) {
            guard.flush();
        }
    }

    @Override
    public void close(ChannelHandlerContext guard, ChannelPromise promise) {
        if (returned) {
            guard.close(promise);
        } else {
            stop.run();
            channel.closeFuture().addListener(f -> promise.trySuccess());
        }
    }
}
