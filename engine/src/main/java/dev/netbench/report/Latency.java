package dev.netbench.report;

import dev.netbench.latency.LatencyRecorder;
import dev.netbench.latency.RttFigures;

import java.util.List;

/**
 * tcp_lat and udp_lat figures; {@code lost} counts udp_lat requests unanswered within their timeout (0 for tcp_lat). {@code latencyUs} is qperf's latency: mean round-trip time / 2. {@code msgRate} counts
 * messages in both directions per second, as qperf does (2 × round trips per second). {@code io}: how the ends
 * waited for each other ({@link #io(String, String)}), null where not reported.
 */
public record Latency(long roundTrips, double seconds, double latencyUs, double msgRate, RttFigures rtt, long lost, String io) {

    public Latency(long roundTrips, double seconds, double latencyUs, double msgRate, RttFigures rtt, long lost) {
        this(roundTrips, seconds, latencyUs, msgRate, rtt, lost, null);
    }

    /**
     * The two ends' ways of waiting as one word when they agree ({@code blocking}, {@code busy_poll},
     * {@code event_loop}), else both: {@code client busy_poll, agent blocking}; an agent that did not say is
     * {@code unknown}.
     */
    public static String io(String client, String agent) {
        if (client == null) {
            return null;
        }
        return client.equals(agent) ? client : "client " + client + ", agent " + (agent == null ? "unknown" : agent);
    }

    public Latency withIo(String io) {
        return new Latency(roundTrips, seconds, latencyUs, msgRate, rtt, lost, io);
    }

    /**
     * The figures of a (-P) latency test from each pinger's round trips and its own window's figures: histograms
     * merged, message rates summed, the longest window; {@code lost} requests as counted by the pingers.
     */
    public static Latency of(List<LatencyRecorder> recorders, List<EndFigures> pingers, long lost) {
        LatencyRecorder all = new LatencyRecorder();
        recorders.forEach(all::add);
        double msgRate = 0;
        double seconds = 0;
        for (EndFigures f : pingers) {
            msgRate += f.seconds() > 0 ? (f.messagesSent() + f.messagesReceived()) / f.seconds() : Double.NaN;
            seconds = Math.max(seconds, f.seconds());
        }
        RttFigures rtt = all.stats();
        return new Latency(rtt.count(), seconds, rtt.mean() / 2, msgRate, rtt, lost);
    }
}
