package dev.netbench.report;

import dev.netbench.latency.RttStats;

/**
 * tcp_lat and udp_lat figures; {@code lost} counts udp_lat requests unanswered within their timeout (0 for tcp_lat). {@code latencyUs} is qperf's latency: mean round-trip time / 2. {@code msgRate} counts
 * messages in both directions per second, as qperf does (2 × round trips per second).
 */
public record Latency(long roundTrips, double seconds, double latencyUs, double msgRate, RttStats rtt, long lost) {
}
