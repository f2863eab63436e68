package dev.netbench.report;

import dev.netbench.latency.Responsiveness;
import dev.netbench.latency.RttFigures;

/**
 * A round-trip test (tcp_lat, udp_lat, tcp_crr, http) measured twice on the same path (--under-load): {@code idle}, just
 * before and as long, with nothing else of the test's running; {@code loaded}, while {@code streams} bulk tcp_bw
 * connections per {@code direction} ({@code up}: client to agent, {@code down}, {@code both}) between the same two ends
 * kept the path full. The distributions are the test's own round trips (tcp_crr: its transactions; http: its requests' latency);
 * {@code loadedRoundTrips} how many the loaded run completed. {@code rpm} is the loaded run's responsiveness
 * ({@link Responsiveness}), {@code idleRpm} the idle one's; {@code load} the load's figures over the loaded run's
 * window, {@code load.bitsPerSecond()} its goodput (both directions summed for {@code both}).
 */
public record UnderLoad(int streams, String direction, RttFigures idle, RttFigures loaded, long loadedRoundTrips,
                        double idleRpm, double rpm, Bandwidth load) {

    /** The responsiveness of each run from its distribution. */
    public static UnderLoad of(int streams, String direction, RttFigures idle, RttFigures loaded, long loadedRoundTrips,
                               Bandwidth load) {
        return new UnderLoad(streams, direction, idle, loaded, loadedRoundTrips, Responsiveness.rpm(idle),
                Responsiveness.rpm(loaded), load);
    }

    /** loaded / idle at the same percentile ({@code p50}: the medians). */
    public static double ratio(double loaded, double idle) {
        return idle > 0 ? loaded / idle : Double.NaN;
    }

    public double loadBitsPerSecond() {
        return load.bitsPerSecond();
    }
}
