package dev.netbench.iperf3;

import dev.netbench.udp.ArrivalStats;
import io.netty.buffer.ByteBuf;

/**
 * iperf3's receiver figures for one UDP stream, counted by the engine's {@link ArrivalStats}. A datagram starts with
 * iperf3's header: the send time (seconds and microseconds of the sender's clock), then the sequence number from 1 (32
 * or 64 bits). Lost is iperf3's: the gaps below the highest sequence number seen, counted from 1 when the whole test is
 * measured (a loss before the first arrival counts too) or from the first arrival after an omitted warm-up. Jitter is
 * RFC 3550's over the send and arrival times. A duplicate is not an arrival (iperf3 takes one for a late datagram and
 * cancels a loss with it). Not thread-safe.
 */
final class Iperf3Arrivals {
    private final ArrivalStats stats = new ArrivalStats();
    private final boolean counters64;
    private final boolean fromOne;
    private long first = -1;

    Iperf3Arrivals(boolean counters64, boolean fromOne) {
        this.counters64 = counters64;
        this.fromOne = fromOne;
    }

    /** Counts the datagram {@code d} (not consumed) that arrived at {@code arrivalNanos}: false if short or a duplicate. */
    boolean record(ByteBuf d, long arrivalNanos) {
        int r = d.readerIndex();
        if (d.readableBytes() < (counters64 ? Iperf3.UDP_HEADER_64 : Iperf3.UDP_HEADER_32)) {
            return false;
        }
        // only differences of transit times matter, so the sender's epoch clock and this end's monotonic one mix
        long sentNanos = (d.getUnsignedInt(r) * 1_000_000L + d.getUnsignedInt(r + 4)) * 1000;
        long seq = counters64 ? d.getLong(r + 8) : d.getUnsignedInt(r + 8);
        if (!stats.record((int) seq, sentNanos, arrivalNanos, d.readableBytes())) {
            return false;
        }
        if (first < 0) {
            first = fromOne ? 1 : stats.highest();
        }
        return true;
    }

    long bytes() {
        return stats.bytes();
    }

    long datagrams() {
        return stats.datagrams();
    }

    /** Datagrams from the first counted to the highest seen: iperf3's {@code packets} of a receiver. */
    long expected() {
        return first < 0 ? 0 : stats.highest() - first + 1;
    }

    /** iperf3's {@code errors}. */
    long lost() {
        return Math.max(0, expected() - stats.datagrams());
    }

    long outOfOrder() {
        return stats.outOfOrder();
    }

    double jitterSeconds() {
        return stats.jitterNanos() / 1e9;
    }
}
