package dev.netbench.iperf3;

import dev.netbench.session.Pacer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One UDP stream of an iperf3 test, at either end: on the agent on its shared UDP channel, for netbench's iperf3
 * client on the stream's own connected channel; confined to the channel's event loop. As the receiver it counts
 * what iperf3 reports ({@link Iperf3Arrivals}). As the sender it sends datagrams of the test's block size to the
 * stream's peer, paced to the test's rate, each with iperf3's header (send time in seconds and microseconds, then
 * the sequence number from 1), until the test ends.
 */
final class Iperf3UdpStream {
    private static final int BATCH = 64;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** Monotonic time as microseconds, offset so it reads as the epoch: only differences matter to a receiver. */
    private static final long EPOCH_OFFSET_MICROS = System.currentTimeMillis() * 1000 - System.nanoTime() / 1000;
    private final Consumer<Iperf3UdpStream> onStop;
    private final Channel channel;
    private final InetSocketAddress peer;
    private final int index;
    private int id;
    private boolean sending;
    private boolean started;
    private boolean stopped;
    private long measureFrom;
    private boolean counters64;
    private Iperf3Arrivals arrivals;
    // sender
    private ByteBuf block;
    private Pacer pacer;
    private long bytes;
    private long sent;
    private long measuredSent;
    private long seq;
    /** Datagrams and their bytes sent or received since the start, omitted time included: a client's intervals. */
    private volatile long allBytes;
    private volatile long allPackets;

    /** {@code onStop} hears once that the stream sends and counts no more (the agent forgets its address). */
    Iperf3UdpStream(Channel channel, InetSocketAddress peer, int index, Consumer<Iperf3UdpStream> onStop) {
        this.onStop = onStop;
        this.channel = channel;
        this.peer = peer;
        this.index = index;
    }

    InetSocketAddress peer() {
        return peer;
    }

    int index() {
        return index;
    }

    /**
     * Starts sending or counting: the window opens at {@code measureFrom}; {@code fromOne} when it opens with the
     * test (no -O), so losses before the first arrival count too; {@code block} is the test's (the stream takes its
     * own reference); {@code deadline} the latest a sender may still send.
     */
    void start(int id, boolean sending, long measureFrom, boolean fromOne, ByteBuf block, long bitsPerSecond, boolean counters64,
               long deadline) {
        channel.eventLoop().execute(() -> {
            this.id = id;
            this.sending = sending;
            this.measureFrom = measureFrom;
            this.counters64 = counters64;
            this.arrivals = new Iperf3Arrivals(counters64, fromOne);
            this.started = true;
            if (sending && !stopped) {
                this.block = block.retainedDuplicate();
                pacer = new Pacer(bitsPerSecond, block.readableBytes(), BATCH, System.nanoTime());
                pump();
                // a sender never outlives its test's longest possible run, whatever happens to the control connection
                channel.eventLoop().schedule(this::stop, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
        });
    }

    void onDatagram(ByteBuf in, long now) {
        if (!started || sending || stopped) {
            return;
        }
        allBytes += in.readableBytes();
        allPackets++;
        if (now - measureFrom >= 0) {
            arrivals.record(in, now);
        }
    }

    /** Stops the stream and reports its figures; {@code seconds} is the test's measured time. */
    CompletableFuture<StreamFigures> finish(double seconds) {
        CompletableFuture<StreamFigures> done = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            stop();
            if (sending) {
                done.complete(new StreamFigures(id, true, bytes, -1, 0, 0, measuredSent, 0, seconds));
            } else {
                Iperf3Arrivals a = arrivals != null ? arrivals : new Iperf3Arrivals(counters64, true);
                done.complete(new StreamFigures(id, false, a.bytes(), -1, a.jitterSeconds(), a.lost(), a.expected(),
                        a.outOfOrder(), seconds));
            }
        });
        return done;
    }

    /** Sends nothing more and forgets the stream. On the UDP event loop. */
    void stop() {
        if (!stopped) {
            stopped = true;
            onStop.accept(this);
        }
        if (block != null) {
            block.release();
            block = null;
        }
    }

    void stopLater() {
        channel.eventLoop().execute(this::stop);
    }

    private void pump() {
        if (stopped || block == null) {
            return;
        }
        long now = System.nanoTime();
        int size = block.readableBytes();
        int due = pacer.due(now, sent);
        for (int i = 0; i < due && channel.isWritable(); i++) {
            ByteBuf d = channel.alloc().directBuffer(size, size);
            long micros = System.nanoTime() / 1000 + EPOCH_OFFSET_MICROS;
            d.writeInt((int) (micros / 1_000_000)).writeInt((int) (micros % 1_000_000));
            seq++;
            if (counters64) {
                d.writeLong(seq);
            } else {
                d.writeInt((int) seq);
            }
            d.writeBytes(block, block.readerIndex() + d.writerIndex(), size - d.writerIndex());
            channel.write(new DatagramPacket(d, peer), channel.voidPromise());
            sent++;
            allBytes += size;
            allPackets++;
            if (now - measureFrom >= 0) {
                bytes += size;
                measuredSent++;
            }
        }
        channel.flush();
        long wait = channel.isWritable() ? pacer.nanosUntilNext(System.nanoTime(), sent) : POLL_NANOS;
        if (wait == 0) {
            channel.eventLoop().execute(this::pump);
        } else {
            channel.eventLoop().schedule(this::pump, wait, TimeUnit.NANOSECONDS);
        }
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
