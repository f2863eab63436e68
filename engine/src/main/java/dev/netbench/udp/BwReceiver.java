package dev.netbench.udp;

import dev.netbench.report.EndFigures;
import dev.netbench.report.UdpErrors;
import dev.netbench.session.MeasuredWindow;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

/**
 * udp_bw's receiving end: counts every DATA datagram for -i progress, and those the sender marked as measured
 * into the measured window, which opens at the first of them and closes at the sender's END. The kernel's UDP
 * error counters are read at both edges, and the socket's receive buffer at the close.
 */
final class BwReceiver {
    private final Channel channel;
    private final Offload.Reads reads;
    private final MeasuredWindow window = new MeasuredWindow();
    private final ArrivalStats measured = new ArrivalStats();
    private final ArrivalStats progress = new ArrivalStats();
    private UdpErrors kernelAtOpen;
    private EndFigures figures;
    private ArrivalFigures arrivals;

    /**
     * {@code channel}: the socket the datagrams arrive on, its buffer deepened for the test's rate
     * ({@link UdpAgent#deepenReceiveBuffer}); {@code reads}: how its reads are batched.
     */
    BwReceiver(Channel channel, Offload.Reads reads, long bitsPerSecond) {
        this.channel = channel;
        this.reads = reads;
        UdpAgent.deepenReceiveBuffer(channel, bitsPerSecond);
    }

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
                open();
            }
            if (measured.record(seq, sentAt, now, size)) {
                window.received(size, 1);
            }
        }
    }

    private void open() {
        window.open();
        kernelAtOpen = UdpSnmp.read();
    }

    Progress progress() {
        return Progress.of(progress);
    }

    /** Closes the window (once; an empty one if no measured datagram arrived) and returns this end's figures. */
    EndFigures close() {
        if (figures == null) {
            if (!window.wasOpened()) {
                open();
            }
            figures = window.close();
            arrivals = ArrivalFigures.of(measured, UdpSnmp.read().since(kernelAtOpen), Link.granted(channel, ChannelOption.SO_RCVBUF), reads);
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
