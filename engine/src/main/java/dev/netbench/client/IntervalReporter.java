package dev.netbench.client;

import dev.netbench.latency.IntervalLatency;
import dev.netbench.latency.RttFigures;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.Units;
import dev.netbench.session.TestStream;
import dev.netbench.socket.TcpInfoProbe;
import dev.netbench.socket.TcpInfoSample;
import dev.netbench.udp.Progress;
import dev.netbench.udp.UdpClientStream;
import dev.netbench.tcp.TcpConnectRate;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * iperf3-style -i progress: every interval, what the streams moved since the last line, summed, warm-up included
 * and marked; the final figures come from the measured window only. A {@link Sampler} says what moved.
 */
final class IntervalReporter implements AutoCloseable {
    /** Describes what moved in the last {@code seconds}; keeps its own previous counts. */
    interface Sampler {
        String since(double seconds) throws InterruptedException;
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "netbench-interval");
        t.setDaemon(true);
        return t;
    });

    IntervalReporter(TestKind kind, long intervalNanos, long warmupNanos, Consumer<String> out, Sampler sampler) {
        long start = System.nanoTime();
        long[] last = {start};
        timer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            String what;
            try {
                what = sampler.since((now - last[0]) / 1e9);
            } catch (InterruptedException e) {
                return;
            }
            out.accept(String.format(Locale.ROOT, "[%6.2f-%6.2f s] %s %s%s", (last[0] - start) / 1e9, (now - start) / 1e9,
                    kind.wireName(), what, now - start <= warmupNanos ? "  (warm-up)" : ""));
            last[0] = now;
        }, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * This end's own counts: bytes for tcp_bw (sent, or received with -R), messages for the latency tests,
     * completed transactions for tcp_crr. The latency tests' latency (mean RTT / 2, as qperf's) and percentiles, and
     * tcp_crr's transaction percentiles, come from {@code intervals}: the round trips of every stream in the interval.
     */
    static Sampler windows(TestKind kind, List<TestStream> streams, IntervalLatency intervals) {
        long[] last = {0, 0};
        SenderTcpProgress tcp = new SenderTcpProgress(streams);
        return seconds -> {
            long bytes = streams.stream().mapToLong(s -> s.window().progressBytes()).sum();
            long messages = kind == TestKind.TCP_CRR
                    ? ((TcpConnectRate.Driver) ((TcpStream) streams.get(0)).endpoint()).transactionsSoFar()
                    : streams.stream().mapToLong(s -> s.window().progressMessages()).sum();
            String what = switch (kind) {
                case TCP_BW -> Units.bytes(bytes - last[0]) + "  " + Units.bitsPerSecond((bytes - last[0]) * 8 / seconds) + tcp.since();
                case TCP_CRR -> "tps " + Units.si((messages - last[1]) / seconds, "/s") + "  (" + (messages - last[1]) + " transactions)"
                        + "  transaction " + percentiles(intervals.sinceLast());
                default -> {
                    RttFigures rtt = intervals.sinceLast();
                    yield "msg_rate " + Units.si((messages - last[1]) / seconds, "/s") + "  latency " + Units.fixed3(rtt.mean() / 2)
                            + " us  rtt " + percentiles(rtt);
                }
            };
            last[0] = bytes;
            last[1] = messages;
            return what;
        };
    }

    private static String percentiles(RttFigures s) {
        return "p50 " + Units.fixed3(s.p50()) + "  p99 " + Units.fixed3(s.p99()) + " us";
    }

    /**
     * tcp_bw from the sending end (not -R): the streams' retransmits in the interval and their congestion windows
     * now, summed, from TCP_INFO as iperf3's Retr and Cwnd columns; nothing where it cannot be read (NIO).
     */
    private static final class SenderTcpProgress {
        private final List<TestStream> streams;
        private long lastRetrans;

        SenderTcpProgress(List<TestStream> streams) {
            this.streams = streams;
        }

        String since() throws InterruptedException {
            long retrans = 0;
            long cwnd = 0;
            for (TestStream s : streams) {
                TcpInfoProbe probe = s.window().senderTcp();
                TcpInfoSample now = probe == null ? null : probe.readFromOtherThread();
                if (now == null) {
                    return "";
                }
                retrans += now.totalRetrans();
                cwnd += now.sndCwnd() * now.sndMss();
            }
            long interval = retrans - lastRetrans;
            lastRetrans = retrans;
            return "  retr " + interval + "  cwnd " + Units.bytes(cwnd);
        }
    }

    /** udp_bw: the receivers' counts (the server's REPORTs, or this end's own with -R): rate, loss, jitter. */
    static Sampler udpBandwidth(List<TestStream> streams) {
        Progress[] last = {Progress.NONE};
        return seconds -> {
            Progress now = Progress.NONE;
            for (TestStream s : streams) {
                now = now.plus(((UdpClientStream) s).receiverProgress());
            }
            Progress d = now.minus(last[0]);
            last[0] = now;
            long expected = d.expected();
            long lost = expected - d.datagrams();
            return String.format(Locale.ROOT, "%s  %s  lost %d/%d (%s %%)  jitter %s ms", Units.bytes(d.bytes()),
                    Units.bitsPerSecond(d.bytes() * 8 / seconds), lost, expected,
                    Units.fixed3(expected > 0 ? 100.0 * lost / expected : 0), Units.fixed3(now.jitterNanos() / 1e6));
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
