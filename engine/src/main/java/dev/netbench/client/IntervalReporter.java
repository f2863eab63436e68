package dev.netbench.client;

import dev.netbench.protocol.TestKind;
import dev.netbench.report.Units;
import dev.netbench.session.TestEndpoint;
import dev.netbench.tcp.TcpConnectRate;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * iperf3-style -i progress: every interval, what this end's streams moved since the last line, summed.
 * These are the client's own counts (sent bytes for tcp_bw, received for -R; completed transactions for tcp_crr),
 * warm-up included and marked; the final figures come from the measured window only.
 */
final class IntervalReporter implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "netbench-interval");
        t.setDaemon(true);
        return t;
    });

    IntervalReporter(TestKind kind, List<TestEndpoint> endpoints, long intervalNanos, long warmupNanos, Consumer<String> out) {
        long start = System.nanoTime();
        long[] last = {start, 0, 0};
        timer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            long bytes = endpoints.stream().mapToLong(e -> e.window().progressBytes()).sum();
            long messages = kind == TestKind.TCP_CRR ? ((TcpConnectRate.Driver) endpoints.get(0)).transactionsSoFar()
                    : endpoints.stream().mapToLong(e -> e.window().progressMessages()).sum();
            double dt = (now - last[0]) / 1e9;
            String what = switch (kind) {
                case TCP_BW -> Units.bytes(bytes - last[1]) + "  " + Units.bitsPerSecond((bytes - last[1]) * 8 / dt);
                case TCP_CRR -> "tps " + Units.si((messages - last[2]) / dt, "/s") + "  (" + (messages - last[2]) + " transactions)";
                default -> "msg_rate " + Units.si((messages - last[2]) / dt, "/s") + "  latency "
                        + Units.fixed3(messages > last[2] ? dt * 1e6 / (messages - last[2]) : Double.NaN) + " us";
            };
            out.accept(String.format(Locale.ROOT, "[%6.2f-%6.2f s] %s %s%s", (last[0] - start) / 1e9, (now - start) / 1e9,
                    kind.wireName(), what, now - start <= warmupNanos ? "  (warm-up)" : ""));
            last[0] = now;
            last[1] = bytes;
            last[2] = messages;
        }, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
