package dev.netbench.admission;

import dev.netbench.protocol.TestKind;
import dev.netbench.report.EndFigures;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** The agent's counters, served as Prometheus text on the HTTP target's {@code /metrics}. */
public final class ServerMetrics {
    private final Map<TestKind, LongAdder> served = new EnumMap<>(TestKind.class);
    private final Map<TestKind, LongAdder> bytesReceived = new EnumMap<>(TestKind.class);
    private final Map<TestKind, LongAdder> bytesSent = new EnumMap<>(TestKind.class);
    private final AtomicInteger activeTests = new AtomicInteger();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder connectionErrors = new LongAdder();
    private final LongAdder aborted = new LongAdder();
    private final LongAdder httpRequests = new LongAdder();
    private final LongAdder udpDropped = new LongAdder();
    private final LongAdder transactions = new LongAdder();
    /** The limits of docs/security.md, in the order they are listed there. */
    static final String[] LIMITS = {"concurrent_tests", "connections_per_address", "test_duration", "message_size",
            "handshake_timeout", "idle_timeout", "buffer_memory"};
    private final Map<String, LongAdder> limitHits = new ConcurrentHashMap<>();
    private volatile LongSupplier bufferMemory = () -> 0;
    private final LongAdder iperf3Tcp = new LongAdder();
    private final LongAdder iperf3Udp = new LongAdder();

    public ServerMetrics() {
        for (TestKind kind : TestKind.values()) {
            if (kind.usesNetbenchProtocol()) {
                served.put(kind, new LongAdder());
                bytesReceived.put(kind, new LongAdder());
                bytesSent.put(kind, new LongAdder());
            }
        }
        for (String limit : LIMITS) {
            limitHits.put(limit, new LongAdder());
        }
    }

    /** A request refused, or a connection or test closed, because of a limit (one of {@link #LIMITS}). */
    public void limitHit(String limit) {
        limitHits.computeIfAbsent(limit, k -> new LongAdder()).increment();
    }

    public long limitHits(String limit) {
        LongAdder n = limitHits.get(limit);
        return n == null ? 0 : n.sum();
    }

    void bufferMemory(LongSupplier held) {
        bufferMemory = held;
    }

    public void testStarted() {
        activeTests.incrementAndGet();
    }

    public void testClosed() {
        activeTests.decrementAndGet();
    }

    public void served(TestKind kind, EndFigures figures) {
        served.get(kind).increment();
        bytesReceived.get(kind).add(figures.bytesReceived());
        bytesSent.get(kind).add(figures.bytesSent());
    }

    public void rejected() {
        rejected.increment();
    }

    public void connectionError() {
        connectionErrors.increment();
    }

    public void aborted(int tests) {
        aborted.add(tests);
    }

    /** A UDP datagram the agent dropped without an answer. */
    public void udpDropped() {
        udpDropped.increment();
    }

    public void httpRequest() {
        httpRequests.increment();
    }

    /** An iperf3 client's test served to its end (docs/iperf3-compat.md). */
    public void iperf3Served(boolean udp) {
        (udp ? iperf3Udp : iperf3Tcp).increment();
    }

    public void transaction() {
        transactions.increment();
    }

    public int activeTests() {
        return activeTests.get();
    }

    /** The text exposition format, version 0.0.4. */
    public String prometheusText() {
        StringBuilder out = new StringBuilder();
        header(out, "netbench_tests_served_total", "counter", "Tests served to their end, by test kind.");
        served.forEach((k, v) -> sample(out, "netbench_tests_served_total", "{test=\"" + k.wireName() + "\"}", v.sum()));
        header(out, "netbench_payload_bytes_total", "counter", "Payload bytes of served tests' measured windows, by test kind and direction.");
        bytesReceived.forEach((k, v) -> sample(out, "netbench_payload_bytes_total", "{test=\"" + k.wireName() + "\",direction=\"received\"}", v.sum()));
        bytesSent.forEach((k, v) -> sample(out, "netbench_payload_bytes_total", "{test=\"" + k.wireName() + "\",direction=\"sent\"}", v.sum()));
        header(out, "netbench_active_tests", "gauge", "Test connections open now.");
        sample(out, "netbench_active_tests", "", activeTests.get());
        header(out, "netbench_rejected_connections_total", "counter", "Connections answered with REJECT.");
        sample(out, "netbench_rejected_connections_total", "", rejected.sum());
        header(out, "netbench_connection_errors_total", "counter", "Connections closed for a protocol or I/O error.");
        sample(out, "netbench_connection_errors_total", "", connectionErrors.sum());
        header(out, "netbench_limit_hits_total", "counter", "Tests or connections refused, and connections closed, because of a limit (docs/security.md).");
        for (String limit : LIMITS) {
            sample(out, "netbench_limit_hits_total", "{limit=\"" + limit + "\"}", limitHits(limit));
        }
        header(out, "netbench_buffer_memory_bytes", "gauge", "Message buffers reserved by running tests, against the buffer memory limit.");
        sample(out, "netbench_buffer_memory_bytes", "", bufferMemory.getAsLong());
        header(out, "netbench_aborted_tests_total", "counter", "Running tests aborted because the agent shut down.");
        sample(out, "netbench_aborted_tests_total", "", aborted.sum());
        header(out, "netbench_udp_datagrams_dropped_total", "counter", "UDP datagrams dropped unanswered: not netbench, outside any test, or HELLOs too small to answer.");
        sample(out, "netbench_udp_datagrams_dropped_total", "", udpDropped.sum());
        header(out, "netbench_http_requests_total", "counter", "Requests answered by the HTTP target.");
        sample(out, "netbench_http_requests_total", "", httpRequests.sum());
        header(out, "netbench_tcp_crr_transactions_total", "counter", "tcp_crr transactions answered: a TXN on a connection of its own, answered and closed.");
        sample(out, "netbench_tcp_crr_transactions_total", "", transactions.sum());
        header(out, "netbench_iperf3_tests_served_total", "counter", "iperf3 clients' tests served to their end, by protocol.");
        sample(out, "netbench_iperf3_tests_served_total", "{protocol=\"tcp\"}", iperf3Tcp.sum());
        sample(out, "netbench_iperf3_tests_served_total", "{protocol=\"udp\"}", iperf3Udp.sum());
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, long value) {
        out.append(name).append(labels).append(' ').append(String.format(Locale.ROOT, "%d", value)).append('\n');
    }
}
