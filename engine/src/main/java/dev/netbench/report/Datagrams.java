package dev.netbench.report;

/**
 * udp_bw's datagram accounting over the measured window, summed over streams: datagrams the senders sent and
 * the receivers got (unique), {@code lost} = sent − received, out-of-order arrivals and duplicates as iperf3
 * counts them, RFC 3550 jitter (the streams' mean), and the senders' rate beside the receivers'.
 * <p>
 * Beside the headline received rate (over the senders' windows): the arrival-span rate (bytes over the first to
 * last arrival, summed over streams) and its longest span; the kernel's UDP error counters over stream 1's window
 * at the receiving and the sending end (per network namespace, not per socket); and the receiving socket's
 * granted SO_RCVBUF in bytes (-1 unknown).
 */
public record Datagrams(long sent, long received, long lost, double lostPercent, double jitterMs, long outOfOrder,
                        long duplicates, double sendBitsPerSecond,
                        double arrivalBitsPerSecond, double arrivalSeconds, UdpErrors receiverKernel, UdpErrors senderKernel,
                        int receiveBuffer) {
}
