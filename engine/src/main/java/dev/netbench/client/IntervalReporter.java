package dev.netbench.client;

import dev.netbench.latency.IntervalLatency;
import dev.netbench.latency.RttFigures;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.Interval;
import dev.netbench.session.TestStream;
import dev.netbench.socket.TcpInfoProbe;
import dev.netbench.socket.TcpInfoSample;
import dev.netbench.udp.Progress;
import dev.netbench.udp.UdpClientStream;
import dev.netbench.tcp.TcpConnectRate;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * iperf3-style -i progress: every interval, what the streams moved since the last one, summed, warm-up included
 * and marked, as an {@link Interval}; the final figures come from the measured window only. A {@link Sampler} says
 * what moved.
 */
final class IntervalReporter implements AutoCloseable {
    /** What moved from {@code start} to {@code end} (seconds into the test); keeps its own previous counts. */
    interface Sampler {
        Interval since(double start, double end, boolean warmup) throws InterruptedException;
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "netbench-interval");
        t.setDaemon(true);
        return t;
    });

    IntervalReporter(long intervalNanos, long warmupNanos, Consumer<Interval> out, Sampler sampler) {
        long start = System.nanoTime();
        long[] last = {start};
        timer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            try {
                out.accept(sampler.since((last[0] - start) / 1e9, (now - start) / 1e9, now - start <= warmupNanos));
            } catch (InterruptedException e) {
                return;
            }
            last[0] = now;
        }, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    /** {@code test}'s intervals, each with what the load's streams beside it moved at this end (--under-load). */
    static Sampler loaded(Sampler test, List<TestStream> load) {
        long[] last = {0};
        return (start, end, warmup) -> {
            long bytes = load.stream().mapToLong(s -> s.window().progressBytes()).sum();
            Interval i = test.since(start, end, warmup).withLoad(bytes - last[0]);
            last[0] = bytes;
            return i;
        };
    }

    /**
     * This end's own counts: bytes for tcp_bw (sent, or received with -R), messages for the latency tests,
     * completed transactions for tcp_crr. The latency tests' latency (mean RTT / 2, as qperf's) and percentiles, and
     * tcp_crr's transaction percentiles, come from {@code intervals}: the round trips of every stream in the interval.
     */
    static Sampler windows(TestKind kind, List<TestStream> streams, IntervalLatency intervals) {
        long[] last = {0, 0};
        SenderTcpProgress tcp = new SenderTcpProgress(streams);
        return (start, end, warmup) -> {
            long bytes = streams.stream().mapToLong(s -> s.window().progressBytes()).sum();
            long messages = kind == TestKind.TCP_CRR
                    ? ((TcpConnectRate.Driver) ((TcpStream) streams.get(0)).endpoint()).transactionsSoFar()
                    : streams.stream().mapToLong(s -> s.window().progressMessages()).sum();
            Interval i;
            if (kind == TestKind.TCP_BW) {
                long[] retrCwnd = tcp.since();
                i = new Interval(kind, start, end, warmup, bytes - last[0], retrCwnd == null ? null : retrCwnd[0],
                        retrCwnd == null ? null : retrCwnd[1], null, null, null, null, null, null, null);
            } else {
                RttFigures rtt = intervals.sinceLast();
                i = new Interval(kind, start, end, warmup, null, null, null, null, null, null, messages - last[1],
                        kind == TestKind.TCP_CRR ? null : rtt.mean() / 2, rtt.p50(), rtt.p99());
            }
            last[0] = bytes;
            last[1] = messages;
            return i;
        };
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

        /** The retransmits since the last call and the congestion windows now, or null where TCP_INFO is not had. */
        long[] since() throws InterruptedException {
            long retrans = 0;
            long cwnd = 0;
            for (TestStream s : streams) {
                TcpInfoProbe probe = s.window().senderTcp();
                TcpInfoSample now = probe == null ? null : probe.readFromOtherThread();
                if (now == null) {
                    return null;
                }
                retrans += now.totalRetrans();
                cwnd += now.sndCwnd() * now.sndMss();
            }
            long interval = retrans - lastRetrans;
            lastRetrans = retrans;
            return new long[] {interval, cwnd};
        }
    }

    /** udp_bw: the receivers' counts (the server's REPORTs, or this end's own with -R): rate, loss, jitter. */
    static Sampler udpBandwidth(List<TestStream> streams) {
        Progress[] last = {Progress.NONE};
        return (start, end, warmup) -> {
            Progress now = Progress.NONE;
            for (TestStream s : streams) {
                now = now.plus(((UdpClientStream) s).receiverProgress());
            }
            Progress d = now.minus(last[0]);
            last[0] = now;
            long expected = d.expected();
            return new Interval(TestKind.UDP_BW, start, end, warmup, d.bytes(), null, null, expected - d.datagrams(), expected,
                    now.jitterNanos() / 1e6, null, null, null, null);
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
