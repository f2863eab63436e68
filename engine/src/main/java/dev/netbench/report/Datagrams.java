package dev.netbench.report;

/**
 * udp_bw's datagram accounting over the measured window, summed over streams: datagrams the senders sent and
 * the receivers got (unique), {@code lost} = sent − received, out-of-order arrivals and duplicates as iperf3
 * counts them, RFC 3550 jitter (the streams' mean), and the senders' rate beside the receivers'.
 * <p>
 * Beside the headline received rate (over the senders' windows): the arrival-span rate (bytes over the first to
 * last arrival, summed over streams) and its longest span; the kernel's UDP error counters over stream 1's window
 * at the receiving and the sending end (per network namespace, not per socket); the receiving socket's granted
 * SO_RCVBUF and the sending socket's SO_SNDBUF in bytes (-1 unknown); the datagrams one send carried at most
 * ({@code gsoSegments}: more than 1 with UDP GSO, 1 without, 0 unknown), how many the window's sends carried on
 * average ({@code datagramsPerSend}, NaN unknown), whether the receiving socket took GSO batches whole ({@code gro})
 * and whether it read several datagrams per recvmmsg(2) ({@code recvmmsg}). Stream 1's, as the kernel counters.
 */
public record Datagrams(long sent, long received, long lost, double lostPercent, double jitterMs, long outOfOrder,
                        long duplicates, double sendBitsPerSecond,
                        double arrivalBitsPerSecond, double arrivalSeconds, UdpErrors receiverKernel, UdpErrors senderKernel,
                        int receiveBuffer, int sendBuffer, int gsoSegments, double datagramsPerSend, boolean gro,
                        boolean recvmmsg) {

    /**
     * Whether the receiving host's own socket buffers overflowed in the window (its RcvbufErrors rose): some of the loss
     * is the receiver's, not the path's. How many datagrams is not known from the counter where the receiver took GSO
     * batches whole (GRO): the kernel counts a dropped batch once.
     */
    public boolean receiverOverflowed() {
        return receiverKernel.available() && receiverKernel.rcvbufErrors() > 0;
    }
}
