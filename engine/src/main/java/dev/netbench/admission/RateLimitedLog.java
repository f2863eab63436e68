package dev.netbench.admission;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One kind of event (a dropped datagram, a failed authentication) logged the first time, then summed into one
 * line at most every 10 s: a flood must not flood the log. Safe to call from several event loops.
 */
public final class RateLimitedLog {
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private final Consumer<String> log;
    private final String event;
    private final String countName;
    private long lastLine = Long.MIN_VALUE;
    private long unlogged;

    /** Lines read {@code event=EVENT peer=... reason="..."} plus {@code COUNT_NAME=n} when events were not logged. */
    public RateLimitedLog(Consumer<String> log, String event, String countName) {
        this.log = log;
        this.event = event;
        this.countName = countName;
    }

    public void event(Object peer, String reason) {
        String line;
        synchronized (this) {
            long now = System.nanoTime();
            if (lastLine != Long.MIN_VALUE && now - lastLine < INTERVAL_NANOS) {
                unlogged++;
                return;
            }
            line = "event=" + event + " peer=" + peer + " reason=\"" + reason.replace("\"", "'") + "\""
                    + (unlogged > 0 ? " " + countName + "=" + unlogged : "");
            lastLine = now;
            unlogged = 0;
        }
        log.accept(line);
    }
}
