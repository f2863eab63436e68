package dev.netbench.udp;

import dev.netbench.latency.LatencyRecorder;
import dev.netbench.report.EndFigures;
import dev.netbench.report.PathMtu;

/**
 * One UDP stream's end as the client sees it: both ends' figures; for udp_bw the receiver's datagram accounting
 * and the sender's socket and kernel UDP error counters over its window, for udp_lat the round trips and the PINGs lost, for
 * mtu the path's MTU as the probes found it.
 */
public record UdpOutcome(EndFigures local, EndFigures remote, ArrivalFigures arrivals, SendSide sender, LatencyRecorder rtt,
                         long lost, PathMtu mtu) {
}
