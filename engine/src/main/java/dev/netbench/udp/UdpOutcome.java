package dev.netbench.udp;

import dev.netbench.latency.LatencyRecorder;
import dev.netbench.report.EndFigures;

/**
 * One UDP stream's end as the client sees it: both ends' figures; for udp_bw the receiver's datagram accounting,
 * for udp_lat the round trips and the PINGs lost.
 */
public record UdpOutcome(EndFigures local, EndFigures remote, ArrivalFigures arrivals, LatencyRecorder rtt, long lost) {
}
