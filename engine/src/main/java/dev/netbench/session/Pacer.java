package dev.netbench.session;

/**
 * Paces a sender of fixed-size messages (udp_bw's datagrams, iperf3's blocks) to a bit rate of payload: by time t
 * after the start it may have sent floor(rate × t / bits per message) + 1 messages. A sender that fell behind
 * catches up at most {@code batch} messages per call. Rate 0 means unpaced: always {@code batch}, the socket's own
 * backpressure is the limit.
 */
public final class Pacer {
    private final double messagesPerNano;
    private final int batch;
    private final long start;

    public Pacer(long bitsPerSecond, int messageBytes, int batch, long startNanos) {
        this.messagesPerNano = bitsPerSecond / (messageBytes * 8.0) / 1e9;
        this.batch = batch;
        this.start = startNanos;
    }

    public boolean paced() {
        return messagesPerNano > 0;
    }

    /** How many messages may go now, given {@code sent} since the start. */
    public int due(long now, long sent) {
        if (!paced()) {
            return batch;
        }
        long allowed = (long) ((now - start) * messagesPerNano) + 1;
        return (int) Math.max(0, Math.min(batch, allowed - sent));
    }

    /** Nanoseconds from {@code now} until the next message is due, given {@code sent}; 0 if one is due already. */
    public long nanosUntilNext(long now, long sent) {
        if (!paced()) {
            return 0;
        }
        long dueAt = start + (long) Math.ceil(sent / messagesPerNano);
        return Math.max(0, dueAt - now);
    }
}
