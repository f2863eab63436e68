package dev.netbench.udp;

import dev.netbench.report.EndFigures;
import dev.netbench.report.UdpErrors;
import dev.netbench.session.MeasuredWindow;
import dev.netbench.session.Pacer;
import dev.netbench.session.WindowClock;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * udp_bw's sending end, on the client or (reverse) on the server: DATA datagrams of msg_size bytes, paced to the
 * spec's bit rate, for the warm-up and then the measured window; {@code onEnd} gets the window's figures.
 * Runs on its link's event loop. Unpaced, it writes while the channel is writable and polls while it is not,
 * so the local socket's backpressure, not a lost datagram, bounds the rate. The kernel's UDP error counters of
 * this end's namespace are read at the window's edges.
 * <p>
 * Where the kernel has UDP GSO ({@link Offload}), the datagrams due at once leave in one send(2) as a batch of up to
 * {@link Offload#MAX_SEGMENTS}, all stamped with the time just before it was built; otherwise one datagram per
 * send, each stamped as it is written, the sends due at once in one sendmmsg(2) (Netty's, for a flush of several).
 * Either way a send also waits for what falls due within {@link #COALESCE_NANOS} (at 8 Gbit/s, 35 datagrams of 1400
 * bytes; below 448 Mbit/s of them, none: each goes when due), so no datagram leaves early and none later than that.
 * If the kernel refuses the first batch (a datagram larger than the path's MTU), GSO stays off for the test and the
 * same datagrams go one by one.
 */
final class BwSender {
    private static final int BATCH = Offload.MAX_SEGMENTS;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** How long a GSO batch may wait for the datagrams that fall due after its first: a timer's slack on Linux. */
    static final long COALESCE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private final Link link;
    private final UdpSpec spec;
    private final int session;
    private final Consumer<EndFigures> onEnd;
    private final MeasuredWindow window = new MeasuredWindow();
    private final WindowClock clock = new WindowClock(window);
    private Pacer pacer;
    /** Datagrams sent since the pacer started. */
    private long sent;
    /** send(2)s in the window, and the datagrams they carried. */
    private long windowSends;
    private long windowDatagrams;
    private int seq;
    /** Datagrams per send: more than 1 while GSO is on; a paced send (or sendmmsg) waits until {@code fill} are due. */
    private int segments;
    private int fill = 1;
    private boolean ended;
    private UdpErrors kernelAtOpen;
    private UdpErrors kernel;

    BwSender(Link link, UdpSpec spec, int session, Consumer<EndFigures> onEnd) {
        this.link = link;
        this.spec = spec;
        this.session = session;
        this.onEnd = onEnd;
        this.segments = spec.offload() ? Offload.segments(link.channel(), spec.test().msgSize()) : 1;
        if (spec.bitsPerSecond() > 0) {
            double dueInCoalesce = spec.bitsPerSecond() / (8.0 * spec.test().msgSize()) * COALESCE_NANOS / 1e9;
            fill = (int) Math.max(1, Math.min(segments > 1 ? segments : BATCH, Math.floor(dueInCoalesce)));
        }
    }

    MeasuredWindow window() {
        return window;
    }

    boolean started() {
        return pacer != null;
    }

    /** This end's socket and the kernel's UDP error counters over the window; once {@code onEnd} has been called. */
    SendSide side() {
        return new SendSide(kernel, Link.granted(link.channel(), ChannelOption.SO_SNDBUF), segments,
                windowSends > 0 ? (double) windowDatagrams / windowSends : Double.NaN);
    }

    void start() {
        long now = System.nanoTime();
        clock.start(spec.test(), now);
        pacer = new Pacer(spec.bitsPerSecond(), spec.test().msgSize(), BATCH, now);
        pump();
    }

    /** Sends nothing more; the end figures are never reported. */
    void stop() {
        ended = true;
    }

    private void pump() {
        if (ended) {
            return;
        }
        long now = System.nanoTime();
        if (clock.openIfDue(now)) {
            // the window's rate is -b exactly: no debt from the warm-up (a slow JIT start) is paid inside it
            pacer = new Pacer(spec.bitsPerSecond(), spec.test().msgSize(), BATCH, now);
            sent = 0;
            kernelAtOpen = UdpSnmp.read();
        }
        if (clock.endDue(now)) {
            ended = true;
            link.flush();
            kernel = UdpSnmp.read().since(kernelAtOpen);
            onEnd.accept(window.close());
            return;
        }
        int size = spec.test().msgSize();
        boolean measured = window.isOpen();
        int n = pacer.due(now, sent);
        if (n < fill) {
            n = 0;
        }
        if (segments > 1 && n > 1 && link.writable()) {
            batch(Math.min(n, segments), size, measured);
        } else {
            for (int i = 0; i < n && link.writable(); i++) {
                link.write(Datagram.traffic(link.channel().alloc(), DatagramType.DATA, session, seq++, System.nanoTime(), measured, size));
                sent++;
                counted(1, size);
            }
            link.flush();
        }
        long wait = link.writable() ? pacer.nanosUntilNext(System.nanoTime(), sent + fill - 1) : POLL_NANOS;
        wait = Math.min(wait, clock.nextEdge() - System.nanoTime());
        if (wait <= 0) {
            link.channel().eventLoop().execute(this::pump);
        } else {
            link.channel().eventLoop().schedule(this::pump, wait, TimeUnit.NANOSECONDS);
        }
    }

    /** One send of {@code n} datagrams, in the window's figures if it is open. */
    private void counted(int n, int size) {
        window.sent((long) n * size, n);
        if (window.isOpen()) {
            windowSends++;
            windowDatagrams += n;
        }
    }

    /** {@code n} datagrams in one GSO send; counted once the kernel took them, or left to go one by one if it refused. */
    private void batch(int n, int size, boolean measured) {
        ByteBuf batch = Datagram.batch(link.channel().alloc().directBuffer(n * size), session, seq, System.nanoTime(), measured, size, n);
        ChannelPromise written = link.channel().newPromise();
        link.writeBatch(batch, size, written);
        link.flush();
        if (written.isDone() && Offload.refused(written.cause())) {
            segments = 1;
            return;
        }
        // any other failure, now or once a full socket buffer drains, is the pipeline's, as any failed send's
        written.addListener(f -> {
            if (!f.isSuccess()) {
                link.channel().pipeline().fireExceptionCaught(f.cause());
            }
        });
        seq += n;
        sent += n;
        counted(n, size);
    }
}
