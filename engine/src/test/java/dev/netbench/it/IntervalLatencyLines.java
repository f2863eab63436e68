package dev.netbench.it;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The -i lines of tcp_lat and udp_lat outside the warm-up: latency (the interval's mean RTT / 2) and its RTT p50 and p99, µs. */
record IntervalLatencyLines(List<double[]> lines) {
    private static final Pattern LINE = Pattern.compile(
            "\\] (?:tcp_lat|udp_lat) msg_rate .+/s  latency ([0-9.]+) us  rtt p50 ([0-9.]+)  p99 ([0-9.]+) us$");

    static IntervalLatencyLines of(List<String> progress) {
        return new IntervalLatencyLines(progress.stream().map(LINE::matcher).filter(Matcher::find)
                .map(m -> new double[]{Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))})
                .toList());
    }

    /**
     * Each line has percentiles in order, and the lines' mean latency is the final figure's within ±40 %: a latency
     * divided across the streams (a quarter of it at -P 4) fails.
     */
    void assertAgreeWith(double finalLatencyUs, List<String> progress) {
        assertTrue(lines.size() >= 3, "interval latency lines: " + progress);
        for (double[] l : lines) {
            assertTrue(l[0] > 0 && l[1] > 0 && l[1] <= l[2], "latency > 0, 0 < p50 <= p99: " + progress);
        }
        double mean = lines.stream().mapToDouble(l -> l[0]).average().orElseThrow();
        assertEquals(finalLatencyUs, mean, finalLatencyUs * 0.4, "mean interval latency vs the final figure: " + progress);
    }
}
