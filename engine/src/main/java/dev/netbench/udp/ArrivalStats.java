package dev.netbench.udp;

/**
 * The receiver's accounting of one datagram stream, in arrival order: unique datagrams and their bytes,
 * duplicates, out-of-order arrivals (a sequence number below the highest seen, as iperf3 counts them), RFC 3550
 * interarrival jitter, and the first and last arrival times for the received rate.
 * <p>
 * Sequence numbers are 32 bits on the wire and extended to 64 here (RFC 3550 appendix A.1), so a stream may wrap.
 * Duplicates are detected within the last {@value #REORDER_WINDOW} sequence numbers; an older arrival is counted
 * as out of order and received. Single writer: confined to one event loop.
 */
public final class ArrivalStats {
    static final int REORDER_WINDOW = 1 << 16;
    private static final long WRAP = 1L << 32;
    private final long[] seen = new long[REORDER_WINDOW / 64];
    private long highest = -1;
    private long datagrams;
    private long bytes;
    private long duplicates;
    private long outOfOrder;
    private boolean haveTransit;
    private long lastTransit;
    private double jitterNanos;
    private long firstArrival;
    private long firstBytes;
    private long lastArrival;

    /**
     * Counts one arrival: {@code seq} as sent (32 bits), the sender's send time and this end's arrival time (each
     * by its own monotonic clock: only differences matter), and its size. Returns false for a duplicate.
     */
    public boolean record(int seq, long sentNanos, long arrivalNanos, int size) {
        long ext = extend(highest, seq);
        if (ext > highest) {
            advanceTo(ext);
        } else if (highest - ext < REORDER_WINDOW && ext >= 0) {
            int bit = (int) (ext & (REORDER_WINDOW - 1));
            if ((seen[bit >>> 6] & (1L << bit)) != 0) {
                duplicates++;
                return false;
            }
            seen[bit >>> 6] |= 1L << bit;
            outOfOrder++;
        } else {
            outOfOrder++;
        }
        if (datagrams == 0) {
            firstArrival = arrivalNanos;
            firstBytes = size;
        }
        datagrams++;
        bytes += size;
        lastArrival = arrivalNanos;
        // RFC 3550 6.4.1: J += (|D(i-1,i)| - J) / 16, D the change in transit time between consecutive arrivals
        long transit = arrivalNanos - sentNanos;
        if (haveTransit) {
            jitterNanos += (Math.abs(transit - lastTransit) - jitterNanos) / 16;
        }
        lastTransit = transit;
        haveTransit = true;
        return true;
    }

    /** The 64-bit sequence number closest to {@code highest} whose low 32 bits are {@code seq}. */
    static long extend(long highest, int seq) {
        long low = seq & 0xFFFFFFFFL;
        if (highest < 0) {
            return low;
        }
        long candidate = (highest & ~(WRAP - 1)) | low;
        if (candidate - highest > WRAP / 2) {
            candidate -= WRAP;
        } else if (highest - candidate > WRAP / 2) {
            candidate += WRAP;
        }
        return candidate;
    }

    private void advanceTo(long ext) {
        if (highest < 0 || ext - highest >= REORDER_WINDOW) {
            java.util.Arrays.fill(seen, 0);
        } else {
            for (long s = highest + 1; s < ext; s++) {
                int bit = (int) (s & (REORDER_WINDOW - 1));
                seen[bit >>> 6] &= ~(1L << bit);
            }
        }
        int bit = (int) (ext & (REORDER_WINDOW - 1));
        seen[bit >>> 6] |= 1L << bit;
        highest = ext;
    }

    /** Unique datagrams received. */
    public long datagrams() {
        return datagrams;
    }

    public long bytes() {
        return bytes;
    }

    public long duplicates() {
        return duplicates;
    }

    public long outOfOrder() {
        return outOfOrder;
    }

    public double jitterNanos() {
        return jitterNanos;
    }

    /** Highest sequence number seen, extended to 64 bits; -1 before the first arrival. */
    public long highest() {
        return highest;
    }

    /**
     * The received rate's two terms: bytes after the first datagram, and the time from the first arrival to the
     * last. Their ratio is the rate at which datagrams arrived (the first one's bytes arrived before the clock started).
     */
    public long trainBytes() {
        return datagrams < 2 ? 0 : bytes - firstBytes;
    }

    public long trainNanos() {
        return datagrams < 2 ? 0 : lastArrival - firstArrival;
    }
}
