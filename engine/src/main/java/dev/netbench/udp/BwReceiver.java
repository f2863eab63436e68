package dev.netbench.udp;

import dev.netbench.report.EndFigures;
import dev.netbench.session.MeasuredWindow;
import io.netty.buffer.ByteBuf;

/**
 * udp_bw's receiving end: counts every DATA datagram for -i progress, and those the sender marked as measured
 * into the measured window, which opens at the first of them and closes at the sender's END.
 */
final class BwReceiver {
    private final MeasuredWindow window = new MeasuredWindow();
    private final ArrivalStats measured = new ArrivalStats();
    private final ArrivalStats progress = new ArrivalStats();
    private EndFigures figures;
    private ArrivalFigures arrivals;

    MeasuredWindow window() {
        return window;
    }

    void onData(ByteBuf in, long now) {
        if (figures != null) {
            return;
        }
        int size = in.readableBytes();
        int seq = Datagram.seq(in);
        long sentAt = Datagram.time(in);
        progress.record(seq, sentAt, now, size);
        if (Datagram.measured(in)) {
            if (!window.wasOpened()) {
                window.open();
            }
            if (measured.record(seq, sentAt, now, size)) {
                window.received(size, 1);
            }
        }
    }

    Progress progress() {
        return Progress.of(progress);
    }

    /** Closes the window (once; an empty one if no measured datagram arrived) and returns this end's figures. */
    EndFigures close() {
        if (figures == null) {
            if (!window.wasOpened()) {
                window.open();
            }
            figures = window.close();
            arrivals = ArrivalFigures.of(measured);
        }
        return figures;
    }

    boolean closed() {
        return figures != null;
    }

    ArrivalFigures arrivals() {
        return arrivals;
    }
}
