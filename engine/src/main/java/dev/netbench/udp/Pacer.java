package dev.netbench.udp;

/**
 * Paces a datagram sender to a bit rate of UDP payload: by time t after the start it may have sent
 * floor(rate × t / bits per datagram) + 1 datagrams. A sender that fell behind catches up at most {@code batch}
 * datagrams per call. Rate 0 means unpaced: always {@code batch}, the socket's own backpressure is the limit.
 */
final class Pacer {
    private final double datagramsPerNano;
    private final int batch;
    private final long start;

    Pacer(long bitsPerSecond, int datagramBytes, int batch, long startNanos) {
        this.datagramsPerNano = bitsPerSecond / (datagramBytes * 8.0) / 1e9;
        this.batch = batch;
        this.start = startNanos;
    }

    boolean paced() {
        return datagramsPerNano > 0;
    }

    /** How many datagrams may go now, given {@code sent} since the start. */
    int due(long now, long sent) {
        if (!paced()) {
            return batch;
        }
        long allowed = (long) ((now - start) * datagramsPerNano) + 1;
        return (int) Math.max(0, Math.min(batch, allowed - sent));
    }

    /** Nanoseconds from {@code now} until the next datagram is due, given {@code sent}; 0 if one is due already. */
    long nanosUntilNext(long now, long sent) {
        if (!paced()) {
            return 0;
        }
        long dueAt = start + (long) Math.ceil(sent / datagramsPerNano);
        return Math.max(0, dueAt - now);
    }
}
