package dev.netbench.report;

import dev.netbench.latency.RttStats;

/**
 * tcp_lat figures. {@code latencyUs} is qperf's latency: mean round-trip time / 2. {@code msgRate} counts
 * messages in both directions per second, as qperf does (2 × round trips per second).
 */
public record Latency(long roundTrips, double seconds, double latencyUs, double msgRate, RttStats rtt) {
}
