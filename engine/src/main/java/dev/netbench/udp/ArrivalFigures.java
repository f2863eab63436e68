package dev.netbench.udp;

import dev.netbench.protocol.Fields;
import dev.netbench.report.UdpErrors;

/**
 * What a udp_bw receiver counted in its measured window, beside its {@link dev.netbench.report.EndFigures}:
 * unique datagrams, duplicates, out-of-order arrivals, RFC 3550 jitter, the arrival-span rate's terms
 * (see {@link ArrivalStats#trainBytes()}), the kernel's UDP error counters over the window and the receiving
 * socket's granted SO_RCVBUF (-1 unknown) and how its reads were batched. Travels in RESULT (forward) or
 * stays on the client (reverse).
 */
record ArrivalFigures(long datagrams, long duplicates, long outOfOrder, double jitterNanos, long trainBytes, long trainNanos,
                      UdpErrors kernel, int receiveBuffer, Offload.Reads reads) {

    static ArrivalFigures of(ArrivalStats s, UdpErrors kernel, int receiveBuffer, Offload.Reads reads) {
        return new ArrivalFigures(s.datagrams(), s.duplicates(), s.outOfOrder(), s.jitterNanos(), s.trainBytes(), s.trainNanos(),
                kernel, receiveBuffer, reads);
    }

    /** Whether the receiving socket took GSO batches whole. */
    boolean gro() {
        return reads == Offload.Reads.GRO;
    }

    /** Whether the receiving socket read several datagrams per recvmmsg(2). */
    boolean recvmmsg() {
        return reads == Offload.Reads.RECVMMSG;
    }

    Fields toFields() {
        return Fields.builder()
                .put("datagrams", datagrams)
                .put("duplicates", duplicates)
                .put("out_of_order", outOfOrder)
                .put("jitter_ns", jitterNanos)
                .put("train_bytes", trainBytes)
                .put("train_ns", trainNanos)
                .putAll(kernel.toFields(), "kernel.")
                .put("rcvbuf", receiveBuffer)
                .put("gro", gro())
                .put("recvmmsg", recvmmsg())
                .build();
    }

    static ArrivalFigures fromFields(Fields f) {
        // an older agent sends neither the kernel counters nor the buffer size, nor gro nor recvmmsg
        String rcvbuf = f.get("rcvbuf");
        return new ArrivalFigures(f.requireLong("datagrams"), f.requireLong("duplicates"), f.requireLong("out_of_order"),
                f.requireDouble("jitter_ns"), f.requireLong("train_bytes"), f.requireLong("train_ns"),
                UdpErrors.fromFields(f.withPrefix("kernel.")), rcvbuf == null ? -1 : (int) f.requireLong("rcvbuf"),
                "true".equals(f.get("gro")) ? Offload.Reads.GRO
                        : "true".equals(f.get("recvmmsg")) ? Offload.Reads.RECVMMSG : Offload.Reads.SINGLE);
    }
}
