package dev.netbench.session;

import dev.netbench.protocol.FrameType;
import dev.netbench.protocol.TestSpec;
import io.netty.channel.ChannelHandlerContext;

/**
 * An endpoint that can drive the test's clock, as the roles that drive a test do (the bandwidth sender, the
 * latency pinger, the tcp_crr driver): MARK when the warm-up is over, END when the measured window is.
 */
public abstract class ClockedEndpoint extends TestEndpoint {
    private final WindowClock clock = new WindowClock(window);
    /** Volatile: an agent that shuts down stops a test from its event loop while the test runs on its own thread. */
    private volatile boolean ended;

    protected ClockedEndpoint(TestSpec spec, Side side) {
        super(spec, side);
    }

    /** Starts the test's clock: warm-up from now, then the measured window. */
    protected final void startClock() {
        clock.start(spec, System.nanoTime());
    }

    /** When the clock has its next thing to do: MARK while the warm-up runs, END after. */
    protected final long nextTickAt() {
        return clock.nextEdge();
    }

    protected final boolean ended() {
        return ended;
    }

    @Override
    public void stop() {
        ended = true;
    }

    /**
     * Writes MARK (and opens this end's window) once the warm-up is over, and END (and finishes) once the window
     * is; returns true when the test has ended.
     */
    protected final boolean tick(ChannelHandlerContext ctx, long now) {
        if (clock.openIfDue(now)) {
            write(ctx, FrameType.MARK);
        }
        if (!ended && clock.endDue(now)) {
            ended = true;
            closeWindow();
            write(ctx, FrameType.END);
            finish(ctx);
        }
        return ended;
    }
}
