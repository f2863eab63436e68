package dev.netbench.report;

import dev.netbench.cpu.CpuUsage;
import dev.netbench.latency.LatencyRecorder;
import dev.netbench.latency.RttFigures;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HTTP load run, reported as ab reports it but in microseconds and from exact sums (docs/metrics.md).
 * {@code complete} counts requests answered by a whole response (any status) within the window; {@code failed}
 * counts the failure classes; a length failure is both complete and failed, as in ab. {@code inFlightAtEnd}
 * counts requests that had neither completed nor failed when -t ended the window. The phases are of complete
 * requests only ({@code connect}: of every connection opened); {@code corrected} and {@code schedule} are an
 * open loop's, null otherwise. {@code distribution} is {@link #latency()}'s distribution with its histogram, as the
 * round-trip tests carry theirs: what --under-load compares.
 */
public record HttpFigures(String url, String serverSoftware, long documentLength, int concurrency, boolean keepAlive,
                          double rate, double seconds, long complete, long failed, Failures failures, long inFlightAtEnd,
                          long non2xx, long keepAliveRequests, long connections, long bytesReceived, long bodyBytes,
                          Phase connect, Phase processing, Phase waiting, Phase total, Phase corrected, Schedule schedule,
                          CpuUsage cpu, RttFigures distribution) {

    /** ab's percentile table rows. */
    public static final List<Double> PERCENTILES = List.of(50.0, 66.0, 75.0, 80.0, 90.0, 95.0, 98.0, 99.0, 99.9, 100.0);

    public record Failures(long connect, long receive, long length, long exceptions, long timeouts) {
    }

    /**
     * How well an open loop kept its schedule: {@code late} requests were sent more than 1 ms after their scheduled
     * start ({@code lateness}: by how much), {@code missed} ones were scheduled in the window and never sent.
     */
    public record Schedule(long late, long missed, Phase lateness) {
        /** Sent later than this after its scheduled start, a request is late: far above an event loop's timer jitter. */
        public static final long LATE_NANOS = 1_000_000;
    }

    /** One phase's distribution in µs: ab's min, mean, sd, median, max, and the percentile table. */
    public record Phase(long count, double min, double mean, double sd, double median, double max, Map<Double, Double> percentiles) {
        public static Phase of(LatencyRecorder r) {
            Map<Double, Double> p = new LinkedHashMap<>();
            PERCENTILES.forEach(q -> p.put(q, r.percentileMicros(q)));
            return new Phase(r.count(), r.minMicros(), r.meanMicros(), r.stddevMicros(), r.percentileMicros(50), r.maxMicros(), Map.copyOf(p));
        }
    }

    /** ab's "Requests per second": complete requests / time taken. */
    public double requestsPerSecond() {
        return seconds > 0 ? complete / seconds : Double.NaN;
    }

    /** ab's first "Time per request": concurrency × time taken / complete, in µs. */
    public double timePerRequestUs() {
        return complete > 0 ? concurrency * seconds * 1e6 / complete : Double.NaN;
    }

    /** ab's second "Time per request" (mean, across all concurrent requests): time taken / complete, in µs. */
    public double timePerRequestAcrossUs() {
        return complete > 0 ? seconds * 1e6 / complete : Double.NaN;
    }

    /** ab's "Transfer rate": bytes received per second (ab prints it in KiB/s). */
    public double bytesPerSecond() {
        return seconds > 0 ? bytesReceived / seconds : Double.NaN;
    }

    /** Client process CPU per complete request, in µs: what it costs to generate the load. */
    public double cpuUsPerRequest() {
        return complete > 0 && cpu.process() != null ? cpu.process().total() * 1e6 / complete : Double.NaN;
    }

    /** The latency distribution users should read: scheduled-start latency in an open loop, else total time. */
    public Phase latency() {
        return corrected != null ? corrected : total;
    }
}
