package dev.netbench.udp;

import dev.netbench.report.EndFigures;
import dev.netbench.report.UdpErrors;
import dev.netbench.session.MeasuredWindow;
import dev.netbench.session.Pacer;
import dev.netbench.session.WindowClock;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * udp_bw's sending end, on the client or (reverse) on the server: DATA datagrams of msg_size bytes, paced to the
 * spec's bit rate, for the warm-up and then the measured window; {@code onEnd} gets the window's figures.
 * Runs on its link's event loop. Unpaced, it writes while the channel is writable and polls while it is not,
 * so the local socket's backpressure, not a lost datagram, bounds the rate. The kernel's UDP error counters of
 * this end's namespace are read at the window's edges.
 */
final class BwSender {
    private static final int BATCH = 64;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private final Link link;
    private final UdpSpec spec;
    private final int session;
    private final Consumer<EndFigures> onEnd;
    private final MeasuredWindow window = new MeasuredWindow();
    private final WindowClock clock = new WindowClock(window);
    private Pacer pacer;
    /** Datagrams sent since the pacer started. */
    private long sent;
    private int seq;
    private boolean ended;
    private UdpErrors kernelAtOpen;
    private UdpErrors kernel;

    BwSender(Link link, UdpSpec spec, int session, Consumer<EndFigures> onEnd) {
        this.link = link;
        this.spec = spec;
        this.session = session;
        this.onEnd = onEnd;
    }

    MeasuredWindow window() {
        return window;
    }

    boolean started() {
        return pacer != null;
    }

    /** The kernel's UDP error counters over the window; set once {@code onEnd} has been called. */
    UdpErrors kernel() {
        return kernel;
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
        for (int i = 0; i < n && link.writable(); i++) {
            link.write(Datagram.traffic(link.channel().alloc(), DatagramType.DATA, session, seq++, System.nanoTime(), measured, size));
            sent++;
            window.sent(size, 1);
        }
        link.flush();
        long wait = link.writable() ? pacer.nanosUntilNext(System.nanoTime(), sent) : POLL_NANOS;
        wait = Math.min(wait, clock.nextEdge() - System.nanoTime());
        if (wait <= 0) {
            link.channel().eventLoop().execute(this::pump);
        } else {
            link.channel().eventLoop().schedule(this::pump, wait, TimeUnit.NANOSECONDS);
        }
    }
}
