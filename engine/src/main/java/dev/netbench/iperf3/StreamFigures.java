package dev.netbench.iperf3;

/**
 * One stream's end-of-test figures at one end, as iperf3's results exchange carries them: {@code bytes} sent or
 * received, TCP retransmits (-1 unknown), and for UDP the receiver's jitter (seconds), lost datagrams
 * ({@code errors}), datagrams expected ({@code packets}: the highest sequence number seen, or those sent) and
 * out-of-order arrivals.
 */
record StreamFigures(int id, boolean sent, long bytes, long retransmits, double jitterSeconds, long errors, long packets,
                     long outOfOrder, double seconds) {
}
