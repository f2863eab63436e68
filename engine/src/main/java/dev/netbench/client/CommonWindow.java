package dev.netbench.client;

import dev.netbench.report.Bandwidth;
import dev.netbench.session.TestStream;
import dev.netbench.socket.SocketOptions;
import io.netty.channel.Channel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One window that every tcp_bw stream of a run shares, on this end's clock, and what each stream's data crossed the
 * path with in it by the kernel's count ({@link SocketOptions#deliveredBytes}: acknowledged where this end sends,
 * taken in where it receives). Each stream's own window runs from its MARK to its END as its receiver sees them, and
 * on a path that queues, those windows are offset by what each stream had queued: a sum of the streams' goodputs over
 * windows that do not coincide reads above what the link carried. The sum over this window does not.
 * <p>
 * The window opens when the warm-up ends and closes a little before the senders stop (1/20 of the time, at most 50 ms),
 * so that every stream sends throughout. Read on a thread of its own; an unreadable stream (Java NIO, a connection
 * gone) or a closing read that came late leaves no counts, only the reason.
 */
final class CommonWindow implements AutoCloseable {
    private static final long END_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long CLOSE_WAIT_MILLIS = 100;

    /** Each stream's bytes in the window, in stream order, and the window's length; or why there are none. */
    record Counts(List<Long> bytes, double seconds, String missing) {
        static Counts missing(String why, int streams) {
            return new Counts(Collections.nCopies(streams, 0L), Double.NaN, why);
        }

        Counts subList(int from, int to) {
            return new Counts(bytes.subList(from, to), seconds, missing);
        }

        /** All streams' bytes over the window, as a result carries it, or why there are none. */
        Bandwidth.Common sum() {
            return missing != null ? new Bandwidth.Common(0, Double.NaN, missing)
                    : Bandwidth.Common.of(bytes.stream().mapToLong(Long::longValue).sum(), seconds);
        }
    }

    /** A stream's data connection, and whether this end sends on it. */
    record Socket(Channel channel, boolean sending) {
    }

    private final List<Socket> sockets;
    private final long openAt;
    private final long closeAt;
    /** When the senders stop: a closing read after it is not used. */
    private final long stopAt;
    /** null for one stream, whose own window is already common. */
    private final Thread reader;
    private volatile Counts counts;

    private CommonWindow(List<Socket> sockets, long begun, long warmupNanos, long timeNanos) {
        this.sockets = sockets;
        this.openAt = begun + warmupNanos;
        this.stopAt = openAt + timeNanos;
        this.closeAt = stopAt - Math.min(END_MARGIN_NANOS, timeNanos / 20);
        counts = Counts.missing("the window was not read", sockets.size());
        reader = sockets.size() < 2 ? null : new Thread(this::read, "netbench-common-window");
    }

    /**
     * Starts reading tcp_bw {@code streams} over the window of a run begun at {@code begun} (System.nanoTime), for
     * -t {@code time} after a warm-up of {@code warmup}; for one stream, reads nothing.
     */
    static CommonWindow start(List<TestStream> streams, long begun, Duration warmup, Duration time) {
        CommonWindow w = new CommonWindow(streams.stream().map(s -> ((TcpStream) s).socket()).toList(), begun,
                warmup.toNanos(), time.toNanos());
        if (w.reader != null) {
            w.reader.setDaemon(true);
            w.reader.start();
        }
        return w;
    }

    private void read() {
        try {
            sleepUntil(openAt);
            long[] start = new long[sockets.size()];
            long opened = sample(start);
            sleepUntil(closeAt);
            long[] end = new long[sockets.size()];
            long closed = sample(end);
            if (closed > stopAt) {
                counts = Counts.missing(String.format("the window's closing read came %.1f ms late", (closed - closeAt) / 1e6),
                        sockets.size());
                return;
            }
            List<Long> bytes = new ArrayList<>();
            for (int i = 0; i < start.length; i++) {
                bytes.add(end[i] - start[i]);
            }
            counts = new Counts(bytes, (closed - opened) / 1e9, null);
        } catch (InterruptedException e) {
            counts = Counts.missing("the run ended before its window closed", sockets.size());
        } catch (RuntimeException e) { // SocketOptions.Failed: NIO, an old kernel, a connection gone
            counts = Counts.missing(e.getMessage(), sockets.size());
        }
    }

    /** Every socket's count now; returns the instant they were read at (the middle of the reads, a few µs apart). */
    private long sample(long[] into) {
        long before = System.nanoTime();
        for (int i = 0; i < into.length; i++) {
            into[i] = SocketOptions.deliveredBytes(sockets.get(i).channel(), sockets.get(i).sending());
        }
        // a connection that closed while it was read may have had its descriptor's number given to another socket
        if (sockets.stream().anyMatch(s -> !s.channel().isOpen())) {
            throw new SocketOptions.Failed("a stream's connection closed before the window did");
        }
        return before + (System.nanoTime() - before) / 2;
    }

    private static void sleepUntil(long at) throws InterruptedException {
        long wait = at - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /**
     * The counts, once the window has closed (waits for it), or why there are none ({@link Counts#missing()}); null for
     * one stream.
     */
    Counts counts() throws InterruptedException {
        if (reader == null) {
            return null;
        }
        reader.join();
        return counts;
    }

    /** Stops the reads, and waits briefly for one under way: the streams' connections close next. */
    @Override
    public void close() {
        if (reader == null) {
            return;
        }
        reader.interrupt();
        try {
            reader.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
