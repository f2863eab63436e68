package dev.netbench.client;

import dev.netbench.socket.SocketOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One window that every tcp_bw stream of a run shares, on this end's clock, and what each stream's data crossed the
 * path with in it by the kernel's count ({@link SocketOptions#deliveredBytes}: acknowledged where this end sends,
 * taken in where it receives). Each stream's own window runs from its MARK to its END as its receiver sees them, and
 * on a path that queues, those windows are offset by what each stream had queued: a sum of the streams' goodputs over
 * windows that do not coincide reads above what the link carried. The sum over this window does not.
 * <p>
 * The window opens when the warm-up ends and closes a little before the senders stop (1/50 of the time, at most 20 ms),
 * so that every stream sends throughout. Read on a thread of its own; an unreadable stream (Java NIO, a connection
 * gone) leaves no counts, and its reason.
 */
final class CommonWindow implements AutoCloseable {
    private static final long END_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** Each stream's bytes in the window, in stream order, and the window's length. */
    record Counts(List<Long> bytes, double seconds) {
        Counts subList(int from, int to) {
            return new Counts(bytes.subList(from, to), seconds);
        }

        long total() {
            return bytes.stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A stream's data connection, and whether this end sends on it. */
    record Socket(io.netty.channel.Channel channel, boolean sending) {
    }

    private final List<Socket> sockets;
    private final long openAt;
    private final long closeAt;
    private final Thread reader;
    private volatile Counts counts;
    private volatile String missing = "the window was not read";

    private CommonWindow(List<Socket> sockets, long begun, long warmupNanos, long timeNanos) {
        this.sockets = List.copyOf(sockets);
        this.openAt = begun + warmupNanos;
        this.closeAt = openAt + timeNanos - Math.min(END_MARGIN_NANOS, timeNanos / 50);
        reader = new Thread(this::read, "netbench-common-window");
        reader.setDaemon(true);
    }

    /** Starts reading {@code sockets} over the window of a run begun at {@code begun} (System.nanoTime). */
    static CommonWindow start(List<Socket> sockets, long begun, long warmupNanos, long timeNanos) {
        CommonWindow w = new CommonWindow(sockets, begun, warmupNanos, timeNanos);
        w.reader.start();
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
            List<Long> bytes = new ArrayList<>();
            for (int i = 0; i < start.length; i++) {
                bytes.add(end[i] - start[i]);
            }
            counts = new Counts(bytes, (closed - opened) / 1e9);
        } catch (SocketOptions.Failed e) {
            missing = e.getMessage();
        } catch (InterruptedException e) {
            missing = "the run ended before its window closed";
        }
    }

    /** Every socket's count now; returns the instant they were read at (the middle of the reads, a few µs apart). */
    private long sample(long[] into) {
        long before = System.nanoTime();
        for (int i = 0; i < into.length; i++) {
            into[i] = SocketOptions.deliveredBytes(sockets.get(i).channel(), sockets.get(i).sending());
        }
        return before + (System.nanoTime() - before) / 2;
    }

    private static void sleepUntil(long at) throws InterruptedException {
        long wait = at - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** The counts, once the window has closed (waits for it); null when a stream could not be read ({@link #missing()}). */
    Counts counts() throws InterruptedException {
        reader.join();
        return counts;
    }

    String missing() {
        return counts != null ? null : missing;
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}
