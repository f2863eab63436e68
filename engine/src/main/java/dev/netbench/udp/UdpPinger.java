package dev.netbench.udp;

import dev.netbench.latency.IntervalLatency;
import dev.netbench.latency.LatencyRecorder;
import dev.netbench.report.EndFigures;
import dev.netbench.session.MeasuredWindow;
import dev.netbench.session.WindowClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * udp_lat's client end: one PING in flight; each PONG with the PING's sequence number is a round trip. A PING
 * unanswered within the retransmission timeout (RFC 6298's srtt + 4 × rttvar, 5 ms to 1 s, 200 ms before the
 * first sample) is given up on and the next PING goes. If its PONG still comes, within the last
 * {@value #LATE_MEMORY} given up, its round trip is recorded like any other (a slow answer is not a loss and
 * belongs in the tail); {@code lost} counts the PINGs whose PONG never came.
 * <p>
 * It runs on its channel's event loop ({@link #start}), or on a thread of its own that owns the socket
 * ({@link #run}, through {@link OwnThread}): there each PING is one write(2) and each PONG one read(2) that waits
 * for it, as qperf's.
 */
final class UdpPinger {
    static final long MIN_RTO = TimeUnit.MILLISECONDS.toNanos(5);
    static final long MAX_RTO = TimeUnit.SECONDS.toNanos(1);
    static final long INITIAL_RTO = TimeUnit.MILLISECONDS.toNanos(200);
    /** How often the timeout is checked while a PONG is awaited: the event loop's timer, the thread's read wake-up. */
    static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final int LATE_MEMORY = 64;
    /** Sequence numbers and send times (0 once answered) of the measured PINGs given up on, in a ring. */
    private final int[] givenUpSeq = new int[LATE_MEMORY];
    private final long[] givenUpAt = new long[LATE_MEMORY];
    private int givenUp;
    private final Link link;
    private final UdpSpec spec;
    private final int session;
    private final Consumer<EndFigures> onEnd;
    private final MeasuredWindow window = new MeasuredWindow();
    private final WindowClock clock = new WindowClock(window);
    private final LatencyRecorder recorder = new LatencyRecorder();
    /** Every round trip, warm-up included, for -i lines; null without -i. */
    private final IntervalLatency intervals;
    private ScheduledFuture<?> check;
    private int seq;
    private long sentAt;
    private boolean sentMeasured;
    private boolean waiting;
    private volatile boolean ended;
    /** On its own thread: the connected socket each PING is written to, from {@code out}; null on the event loop. */
    private Socket socket;
    private ByteBuf out;
    private double srtt = -1;
    private double rttvar;
    private long rto = INITIAL_RTO;
    private long lost;

    UdpPinger(Link link, UdpSpec spec, int session, IntervalLatency intervals, Consumer<EndFigures> onEnd) {
        this.link = link;
        this.intervals = intervals;
        this.spec = spec;
        this.session = session;
        this.onEnd = onEnd;
    }

    MeasuredWindow window() {
        return window;
    }

    LatencyRecorder recorder() {
        return recorder;
    }

    /** PINGs of the measured window that went unanswered. */
    long lost() {
        return lost;
    }

    void start() {
        long now = System.nanoTime();
        clock.start(spec.test(), now);
        check = link.channel().eventLoop().scheduleAtFixedRate(() -> checkTimeout(System.nanoTime()), CHECK_NANOS, CHECK_NANOS,
                TimeUnit.NANOSECONDS);
        next(now);
    }

    /**
     * The whole test on the calling thread, which owns {@code socket} (blocking, its reads waking every
     * {@link #CHECK_NANOS}, or non-blocking with --busy-poll): PINGs written to it, PONGs read from it; any other datagram goes to {@code others}, a
     * copy the callee releases. Returns when the test is over or {@link #stop} was called.
     */
    void run(Socket socket, Consumer<ByteBuf> others) throws IOException {
        ByteBuf in = Unpooled.directBuffer(Datagram.MAX, Datagram.MAX);
        out = Unpooled.directBuffer(spec.test().msgSize(), spec.test().msgSize());
        this.socket = socket;
        try {
            long now = System.nanoTime();
            clock.start(spec.test(), now);
            next(now);
            while (!ended) {
                int n = socket.readAddress(in.memoryAddress(), 0, in.capacity());
                now = System.nanoTime();
                if (n > 0) {
                    in.setIndex(0, n);
                    if (Datagram.type(in) == DatagramType.PONG && Datagram.session(in) == session) {
                        onPong(in, now);
                    } else {
                        others.accept(in.copy());
                    }
                } else {
                    OwnThread.idle(spec.test().busyPoll());
                }
                checkTimeout(now);
            }
        } finally {
            in.release();
            out.release();
            window.abandon(); // stopped, or failed, before the test's end; nothing once the window closed
        }
    }

    void stop() {
        ended = true;
        if (check != null) {
            check.cancel(false);
        }
    }

    void onPong(ByteBuf in, long now) {
        if (in.readableBytes() != spec.test().msgSize()) {
            return;
        }
        if (!waiting || Datagram.seq(in) != seq - 1) {
            late(Datagram.seq(in), now);
            return;
        }
        waiting = false;
        long rtt = now - sentAt;
        window.received(in.readableBytes(), 1);
        if (sentMeasured && window.isOpen()) {
            recorder.record(rtt);
        }
        if (intervals != null) {
            intervals.record(rtt);
        }
        updateRto(rtt);
        next(now);
    }

    private void updateRto(long rtt) {
        if (srtt < 0) {
            srtt = rtt;
            rttvar = rtt / 2.0;
        } else {
            rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - rtt);
            srtt = 0.875 * srtt + 0.125 * rtt;
        }
        rto = Math.max(MIN_RTO, Math.min(MAX_RTO, (long) (srtt + 4 * rttvar)));
    }

    private void checkTimeout(long now) {
        if (waiting && now - sentAt > rto) {
            waiting = false;
            if (sentMeasured && window.isOpen()) {
                lost++;
                givenUpSeq[givenUp % LATE_MEMORY] = seq - 1;
                givenUpAt[givenUp % LATE_MEMORY] = sentAt;
                givenUp++;
            }
            next(now);
        }
    }

    /** A PONG for a PING given up on: not lost after all, and its round trip counts. */
    private void late(int pongSeq, long now) {
        for (int i = Math.max(0, givenUp - LATE_MEMORY); i < givenUp; i++) {
            int slot = i % LATE_MEMORY;
            if (givenUpAt[slot] != 0 && givenUpSeq[slot] == pongSeq) {
                // only measured PINGs are given up on here: one whose PONG comes after the window is not lost either
                lost--;
                if (window.isOpen()) {
                    recorder.record(now - givenUpAt[slot]);
                }
                if (intervals != null) {
                    intervals.record(now - givenUpAt[slot]);
                }
                givenUpAt[slot] = 0;
                return;
            }
        }
    }

    private void next(long now) {
        if (ended) {
            return;
        }
        clock.openIfDue(now);
        if (clock.endDue(now)) {
            stop();
            onEnd.accept(window.close());
            return;
        }
        sentMeasured = window.isOpen();
        int size = spec.test().msgSize();
        sentAt = System.nanoTime();
        if (socket == null) {
            link.send(Datagram.traffic(link.channel().alloc(), DatagramType.PING, session, seq++, sentAt, sentMeasured, size));
        } else {
            Datagram.traffic(out, DatagramType.PING, session, seq++, sentAt, sentMeasured, size);
            try {
                socket.writeAddress(out.memoryAddress(), 0, size);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        window.sent(size, 1);
        waiting = true;
    }
}
