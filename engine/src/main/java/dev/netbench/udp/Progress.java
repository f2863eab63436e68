package dev.netbench.udp;

import dev.netbench.protocol.Fields;

/**
 * A udp_bw receiver's running counts since the stream's first datagram (warm-up included), for -i lines:
 * {@code expected} is the highest sequence number + 1, so expected − datagrams is what is missing so far.
 * Summed over streams, jitter is the highest stream's.
 */
public record Progress(long datagrams, long bytes, long expected, long outOfOrder, long duplicates, double jitterNanos) {
    public static final Progress NONE = new Progress(0, 0, 0, 0, 0, 0);

    static Progress of(ArrivalStats s) {
        return new Progress(s.datagrams(), s.bytes(), s.highest() + 1, s.outOfOrder(), s.duplicates(), s.jitterNanos());
    }

    public Progress plus(Progress o) {
        return new Progress(datagrams + o.datagrams, bytes + o.bytes, expected + o.expected, outOfOrder + o.outOfOrder,
                duplicates + o.duplicates, Math.max(jitterNanos, o.jitterNanos));
    }

    /** The counts since {@code earlier}; jitter stays this one's (it is a running estimate, not a count). */
    public Progress minus(Progress earlier) {
        return new Progress(datagrams - earlier.datagrams, bytes - earlier.bytes, expected - earlier.expected,
                outOfOrder - earlier.outOfOrder, duplicates - earlier.duplicates, jitterNanos);
    }

    Fields toFields() {
        return Fields.builder()
                .put("datagrams", datagrams)
                .put("bytes", bytes)
                .put("expected", expected)
                .put("out_of_order", outOfOrder)
                .put("duplicates", duplicates)
                .put("jitter_ns", jitterNanos)
                .build();
    }

    static Progress fromFields(Fields f) {
        return new Progress(f.requireLong("datagrams"), f.requireLong("bytes"), f.requireLong("expected"),
                f.requireLong("out_of_order"), f.requireLong("duplicates"), f.requireDouble("jitter_ns"));
    }
}
