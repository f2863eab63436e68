package dev.netbench.session;

import dev.netbench.protocol.TestSpec;

/**
 * The clock of the end that drives a test: the warm-up from its start, then the measured window. It opens the
 * end's {@link MeasuredWindow} when the warm-up is over and says when the window is due to close; what the
 * edges mean on the wire (MARK and END frames, flagged datagrams) is the caller's.
 */
public final class WindowClock {
    private final MeasuredWindow window;
    private long markAt;
    private long endAt;

    public WindowClock(MeasuredWindow window) {
        this.window = window;
    }

    /** Starts the warm-up at {@code now}. */
    public void start(TestSpec spec, long now) {
        markAt = now + spec.warmupNanos();
        endAt = markAt + spec.durationNanos();
    }

    /** Opens the window once the warm-up is over; true only at the call that opened it. */
    public boolean openIfDue(long now) {
        if (!window.wasOpened() && now - markAt >= 0) {
            window.open();
            return true;
        }
        return false;
    }

    /** True once the window is open and its duration has passed. */
    public boolean endDue(long now) {
        return window.isOpen() && now - endAt >= 0;
    }

    /** When the next edge comes: the mark during the warm-up, the end after. */
    public long nextEdge() {
        return window.wasOpened() ? endAt : markAt;
    }
}
