package dev.netbench.session;

import dev.netbench.cpu.Affinity;
import dev.netbench.protocol.FrameDecoder;
import dev.netbench.socket.BlockingIo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.handler.timeout.IdleStateHandler;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs one test connection's traffic on a thread of its own, as qperf does, instead of on the event loop: the
 * connection is taken off its event loop and its socket put into blocking mode, so each message costs the read(2)
 * that waits for it and the write(2) that answers, not an epoll_wait(2) as well and a turn of the loop. In
 * {@link Mode#BUSY_POLL} the socket stays non-blocking and the thread spins on read(2) instead of sleeping.
 *
 * <p>The thread owns the socket until it ends: it decodes what it reads with the connection's {@link FrameDecoder}
 * and hands it to the endpoint's {@code channelRead}, the endpoint's writes go straight to the socket, and a guard
 * at the head of the pipeline turns anything else's write (an agent's ABORT) into a frame the thread writes between
 * two messages, and anything's close into a request to stop: the thread closes the connection itself once it no
 * longer touches the socket, so a descriptor it reads is never one the process has closed and reused. While it
 * runs, the pipeline's {@link IdleStateHandler} (the agent's idle timeout) hears of progress four times a second.
 */
final class Pump {
    /** How the thread waits for the peer. */
    enum Mode { BLOCKING, BUSY_POLL }

    /** Sent down the pipeline while the thread moves bytes, so the agent's idle timeout sees the connection alive. */
    static final Object ACTIVITY = new Object() {
        @Override
        public String toString() {
            return "ACTIVITY";
        }
    };

    /**
     * One read(2) asks for one message of the test's, as qperf's and iperf3's receivers do, up to this. Not more: a
     * receiver that takes many small messages a read answers each read with an ACK sooner, which lets a Nagle sender
     * send smaller segments and costs it more per message (measured at 1-byte messages: 40 k segments/s against
     * 7 k, 4.4 against 6.4 Mbit/s).
     */
    private static final int MAX_READ = 256 * 1024;
    /** A read waits at most this long, so the thread serves its queue (an ABORT) even when the peer is silent. */
    private static final long WAKE_MICROS = 100_000;
    private static final long ACTIVITY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final TestEndpoint endpoint;
    private final ChannelHandlerContext ctx;
    private final Channel channel;
    private final Socket socket;
    private final FrameDecoder frames;
    private final Mode mode;
    private final Consumer<Object> dispatch;
    private final PumpGuard guard;
    private volatile boolean stopping;
    /** The reading thread; null until it is started. */
    private volatile Thread reader;
    /** The thread that runs a blocking start (a bandwidth sender's loop) beside the reading one; null if none. */
    private volatile Thread sender;
    private volatile boolean senderDone;
    private volatile Throwable senderFailure;

    private Pump(TestEndpoint endpoint, ChannelHandlerContext ctx, EpollSocketChannel channel, FrameDecoder frames, Mode mode) {
        this.endpoint = endpoint;
        this.ctx = ctx;
        this.channel = channel;
        this.socket = (Socket) channel.fd(); // a LinuxSocket
        this.frames = frames;
        this.mode = mode;
        this.dispatch = msg -> endpoint.channelRead(ctx, msg);
        this.guard = new PumpGuard(channel, this::stop);
    }

    /**
     * Why this connection cannot run on a thread of its own in {@code mode}, or null when it can: only an epoll
     * socket (the thread needs its descriptor) with the pipeline's frame decoder, and for
     * {@link Mode#BLOCKING} a JDK that lets netbench make the socket blocking.
     */
    static String unavailable(ChannelHandlerContext ctx, Mode mode) {
        if (!(ctx.channel() instanceof EpollSocketChannel ch)) {
            return "not a native epoll socket";
        }
        if (ctx.pipeline().get(FrameDecoder.class) == null) {
            return "no frame decoder";
        }
        return mode == Mode.BLOCKING ? BlockingIo.unavailable() : null;
    }

    /** The thread for {@code endpoint}'s connection, once {@link #unavailable} said null; {@link #start} starts it. */
    static Pump of(TestEndpoint endpoint, ChannelHandlerContext ctx, Mode mode) {
        return new Pump(endpoint, ctx, (EpollSocketChannel) ctx.channel(), ctx.pipeline().get(FrameDecoder.class), mode);
    }

    /**
     * Takes the connection off its event loop and starts the thread, which runs {@code first} (if any) before it
     * reads. On the event loop; the endpoint must already know this pump (the thread may start at once).
     */
    void start(Runnable first, boolean firstBlocks) {
        ctx.pipeline().addFirst("pump-guard", guard);
        channel.deregister().addListener(f -> {
            if (!channel.isOpen()) {
                // Netty closed it (the peer's FIN or RST came with the HELLO) before it left the loop: its descriptor
                // may already be another socket's, and its pipeline is torn down; nothing is left to run
                return;
            }
            if (!f.isSuccess()) {
                guard.giveBack(ctx);
                endpoint.exceptionCaught(ctx, f.cause());
                return;
            }
            try {
                reader = new Thread(() -> run(first, firstBlocks), "netbench-pump-" + THREADS.incrementAndGet());
                reader.setDaemon(true);
                reader.start();
            } catch (Throwable e) {
                end(e); // no thread (out of threads): the connection goes back to its loop and fails there
            }
        });
    }

    Mode mode() {
        return mode;
    }

    /**
     * True on this pump's threads, where the endpoint writes straight to the socket; elsewhere (the event loop,
     * before the connection has left it) its writes go through Netty, and the thread hands them on in order.
     */
    boolean owns() {
        Thread t = Thread.currentThread();
        return t == reader || t == sender;
    }

    /** Writes {@code buf} whole and releases it. On the thread only. */
    void write(ByteBuf buf) throws IOException {
        try {
            if (buf.hasMemoryAddress()) {
                write(buf.memoryAddress() + buf.readerIndex(), buf.readableBytes());
            } else {
                ByteBuf direct = Unpooled.directBuffer(buf.readableBytes()).writeBytes(buf);
                try {
                    write(direct.memoryAddress(), direct.readableBytes());
                } finally {
                    direct.release();
                }
            }
        } finally {
            buf.release();
        }
    }

    /** Writes {@code length} bytes from {@code address} whole. On the thread only. */
    void write(long address, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = socket.writeAddress(address, done, length);
            if (n == 0 && stopping) {
                throw new IOException("stopped with a message half written");
            }
            done += n;
        }
    }

    /** Asks the thread to stop after what it is doing: from the thread itself when the test is over. */
    void finish() {
        stopping = true;
    }

    /** Asks the thread to stop, waking it if it waits in read(2); from any thread. */
    private void stop() {
        stopping = true;
        if (mode == Mode.BLOCKING) {
            guard.whileOwned(() -> {
                try {
                    socket.shutdown(true, true); // a read(2) or write(2) waiting for the peer returns at once
                } catch (IOException | RuntimeException e) {
                    // already shut, reset (ENOTCONN) or closed: the thread ends anyway
                }
            });
        }
    }

    private void run(Runnable first, boolean firstBlocks) {
        int readSize = Math.min(MAX_READ, endpoint.spec().msgSize());
        ByteBuf in = null;
        Throwable failure = null;
        try {
            pinIfAsked();
            in = Unpooled.directBuffer(readSize, readSize);
            if (mode == Mode.BLOCKING) {
                BlockingIo.setBlocking(socket.intValue(), true);
                BlockingIo.setReadTimeout(socket, WAKE_MICROS);
            }
            writeNettysPending();
            if (first != null && firstBlocks) {
                sender = new Thread(() -> send(first), Thread.currentThread().getName() + "-send");
                sender.setDaemon(true);
                sender.start();
            } else if (first != null) {
                first.run();
            }
            long address = in.memoryAddress();
            long activityAt = System.nanoTime();
            long progress = endpoint.window().progressBytes();
            while (!stopping) {
                if (guard.hasWrites() && (sender == null || senderDone)) {
                    writePending(); // before a read that may wait: a sender that stopped reads next
                }
                int n = socket.readAddress(address, 0, readSize);
                if (n < 0) {
                    break; // the peer closed
                }
                if (n > 0) {
                    in.setIndex(0, n);
                    frames.decode(in, dispatch);
                } else if (mode == Mode.BUSY_POLL) {
                    // sched_yield(2) between two empty reads: a peer on this same CPU runs at once (spinning on, each
                    // end would wait out the other's time slice, milliseconds); on another CPU it returns at once
                    Thread.yield();
                }
                long now = System.nanoTime();
                if (now - activityAt > ACTIVITY_NANOS && endpoint.window().progressBytes() != progress) {
                    activityAt = now;
                    progress = endpoint.window().progressBytes();
                    channel.eventLoop().execute(this::reportActivity);
                }
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            if (in != null) {
                in.release();
            }
            end(failure);
        }
    }

    /**
     * What Netty still held to write when the connection left its loop (an answer the loop wrote before it let go,
     * left half written by a full socket) goes first, from where Netty got to, so the stream stays in order.
     */
    private void writeNettysPending() throws IOException {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        if (out == null) {
            return;
        }
        out.addFlush();
        for (Object msg = out.current(); msg != null; msg = out.current()) {
            if (!(msg instanceof ByteBuf buf)) {
                throw new IOException("cannot take over a pending " + msg.getClass().getSimpleName());
            }
            write(buf.retainedDuplicate());
            out.remove();
        }
    }

    /**
     * The sending thread of a role whose start runs its whole send loop: it alone writes while it runs (frames others
     * queued too, once its loop is over); a failure it meets stops the reading thread, which reports it.
     */
    private void send(Runnable loop) {
        try {
            pinIfAsked();
            loop.run();
            if (guard.hasWrites()) {
                writePending();
            }
        } catch (Throwable e) {
            if (!stopping) {
                senderFailure = e;
            }
            stop();
        } finally {
            senderDone = true;
        }
    }

    /** -T: this thread onto the CPU the test asked this end to run on. */
    private void pinIfAsked() {
        if (endpoint.cpu() >= 0) {
            Affinity.pin(endpoint.cpu());
        }
    }

    private void reportActivity() {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.fireChannelRead(ACTIVITY);
        pipeline.fireChannelReadComplete();
    }

    private void writePending() throws IOException {
        for (Object[] next = guard.poll(); next != null; next = guard.poll()) {
            write((ByteBuf) next[0]);
            ((ChannelPromise) next[1]).trySuccess();
        }
    }

    /**
     * The thread is done with the socket: what others queued fails, the socket goes back to non-blocking and the
     * connection back to its event loop, where it closes (or reports the failure, which closes it), so its pipeline
     * ends as any other's and its handlers release what they hold.
     */
    private void end(Throwable failure) {
        Throwable readerFailure = failure != null && !stopping ? failure : null;
        Thread sending = sender;
        if (sending != null && sending.isAlive()) {
            stop(); // a write(2) it waits in returns at once
            boolean interrupted = false;
            while (sending.isAlive()) { // it must be done with the socket before the socket goes back
                try {
                    sending.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Throwable problem = readerFailure != null ? readerFailure : senderFailure;
        guard.ended();
        if (mode == Mode.BLOCKING) {
            try {
                BlockingIo.setBlocking(socket.intValue(), false);
            } catch (Throwable e) {
                // still blocking: shut it, so that the loop's reads and writes on it return at once, then give it back
                try {
                    socket.shutdown(true, true);
                } catch (IOException | RuntimeException shut) {
                    // reset or shut already: the same for the loop
                }
                problem = problem != null ? problem : e;
            }
        }
        Throwable cause = problem;
        channel.eventLoop().register(channel).addListener(f -> {
            guard.giveBack(ctx);
            if (cause != null) {
                endpoint.exceptionCaught(ctx, cause);
            } else {
                channel.close();
            }
        });
    }
}
