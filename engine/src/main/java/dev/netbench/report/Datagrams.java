package dev.netbench.report;

/**
 * udp_bw's datagram accounting over the measured window, summed over streams: datagrams the senders sent and
 * the receivers got (unique), {@code lost} = sent − received, out-of-order arrivals and duplicates as iperf3
 * counts them, RFC 3550 jitter (the streams' mean), and the senders' rate beside the receivers'.
 */
public record Datagrams(long sent, long received, long lost, double lostPercent, double jitterMs, long outOfOrder,
                        long duplicates, double sendBitsPerSecond) {
}
