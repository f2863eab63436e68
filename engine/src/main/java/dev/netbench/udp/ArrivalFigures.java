package dev.netbench.udp;

import dev.netbench.protocol.Fields;

/**
 * What a udp_bw receiver counted in its measured window, beside its {@link dev.netbench.report.EndFigures}:
 * unique datagrams, duplicates, out-of-order arrivals, RFC 3550 jitter, and the received rate's terms
 * (see {@link ArrivalStats#trainBytes()}). Travels in RESULT (forward) or stays on the client (reverse).
 */
record ArrivalFigures(long datagrams, long duplicates, long outOfOrder, double jitterNanos, long trainBytes, long trainNanos) {

    static ArrivalFigures of(ArrivalStats s) {
        return new ArrivalFigures(s.datagrams(), s.duplicates(), s.outOfOrder(), s.jitterNanos(), s.trainBytes(), s.trainNanos());
    }

    Fields toFields() {
        return Fields.builder()
                .put("datagrams", datagrams)
                .put("duplicates", duplicates)
                .put("out_of_order", outOfOrder)
                .put("jitter_ns", jitterNanos)
                .put("train_bytes", trainBytes)
                .put("train_ns", trainNanos)
                .build();
    }

    static ArrivalFigures fromFields(Fields f) {
        return new ArrivalFigures(f.requireLong("datagrams"), f.requireLong("duplicates"), f.requireLong("out_of_order"),
                f.requireDouble("jitter_ns"), f.requireLong("train_bytes"), f.requireLong("train_ns"));
    }
}
