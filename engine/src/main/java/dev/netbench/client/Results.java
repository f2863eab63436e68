package dev.netbench.client;

import dev.netbench.cpu.Cost;
import dev.netbench.cpu.CpuUsage;
import dev.netbench.host.Identity;
import dev.netbench.protocol.TestSpec;
import dev.netbench.report.Bandwidth;
import dev.netbench.report.ConnectRate;
import dev.netbench.report.EndFigures;
import dev.netbench.report.Latency;
import dev.netbench.report.SenderTcp;
import dev.netbench.report.SocketReadback;
import dev.netbench.report.TestResult;
import dev.netbench.session.Outcome;
import dev.netbench.session.TestEndpoint;
import dev.netbench.tcp.TcpConnectRate;
import dev.netbench.tcp.TcpLatency;

import java.util.ArrayList;
import java.util.List;

/** Turns the per-connection figures of both ends into one {@link TestResult} (the math is in docs/metrics.md). */
final class Results {
    /** The sender's RESULT had no TCP_INFO fields: an agent from before they existed. */
    static final String NO_TCP_INFO = "the sending end did not report TCP_INFO (a netbench agent older than this client)";

    private Results() {
    }

    static TestResult of(List<TestEndpoint> endpoints, List<Outcome> outcomes) {
        return of(endpoints, outcomes, null, false, null);
    }

    /**
     * {@code sockets}: each tcp_bw stream's data sockets as read back at both ends (null: not read). {@code bidir}:
     * a tcp_bw whose first half of streams sent and second half received (-P each), at the same time. {@code common}:
     * what each tcp_bw stream delivered in the window they all share (null: not read).
     */
    static TestResult of(List<TestEndpoint> endpoints, List<Outcome> outcomes, List<TcpStream.Sockets> sockets, boolean bidir,
                         CommonWindow.Counts common) {
        TestSpec spec = endpoints.get(0).spec();
        CpuUsage localCpu = outcomes.get(0).local().cpu();
        CpuUsage remoteCpu = outcomes.get(0).remote().cpu();
        return switch (spec.kind()) {
            case TCP_BW -> bidir
                    ? new TestResult(spec.kind(), spec.msgSize(), spec.streams() / 2, false,
                            bidir(outcomes, sockets, common, spec.msgSize()), null, null, null, localCpu, remoteCpu)
                    : new TestResult(spec.kind(), spec.msgSize(), spec.streams(), spec.reverse(),
                            bandwidth(spec.reverse(), outcomes, sockets, common, spec.msgSize()), null, null, null, localCpu, remoteCpu);
            case TCP_LAT -> new TestResult(spec.kind(), spec.msgSize(), spec.streams(), false,
                    null, latency(endpoints, outcomes), null, null, localCpu, remoteCpu);
            case TCP_CRR -> new TestResult(spec.kind(), spec.msgSize(), spec.streams(), false, null, null, null,
                    connectRate((TcpConnectRate.Driver) endpoints.get(0), outcomes.get(0)), localCpu, remoteCpu);
            case UDP_BW, UDP_LAT, MTU, HTTP -> throw new IllegalArgumentException(spec.kind().wireName() + " results do not come from TCP endpoints");
        };
    }

    /**
     * Receiver goodput per stream, each over its own window; for several streams with {@code common} counts, their
     * sum over the window they all share (as iperf3 sums streams over one interval), else the sum of their goodputs.
     * Costs from stream 1's CPU and the summed rates.
     */
    static Bandwidth bandwidth(boolean reverse, List<Outcome> outcomes, List<TcpStream.Sockets> sockets,
                               CommonWindow.Counts common, int msgSize) {
        List<Bandwidth.Stream> streams = new ArrayList<>();
        long bytes = 0;
        long sent = 0;
        long messages = 0;
        double seconds = 0;
        double bps = 0;
        double msgRate = 0;
        double sendRate = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            EndFigures receiver = reverse ? o.local() : o.remote();
            EndFigures sender = reverse ? o.remote() : o.local();
            double streamBps = rate(receiver.bytesReceived() * 8, receiver.seconds());
            streams.add(new Bandwidth.Stream(i + 1, receiver.bytesReceived(), sender.bytesSent(), receiver.seconds(), streamBps,
                    sender.senderTcp() != null ? sender.senderTcp() : SenderTcp.unavailable(NO_TCP_INFO),
                    ends(reverse, sockets == null ? null : sockets.get(i))));
            bytes += receiver.bytesReceived();
            sent += sender.bytesSent();
            messages += receiver.messagesReceived();
            seconds = Math.max(seconds, receiver.seconds());
            bps += streamBps;
            msgRate += rate(receiver.messagesReceived(), receiver.seconds());
            sendRate += rate(sender.bytesSent(), sender.seconds());
        }
        Bandwidth.Common shared = null;
        if (common != null && outcomes.size() > 1) {
            shared = common.sum();
            if (shared.read()) {
                bps = shared.bytes() * 8 / shared.seconds();
                msgRate = shared.bytes() / (double) msgSize / shared.seconds();
            }
        }
        Outcome first = outcomes.get(0);
        CpuUsage senderCpu = (reverse ? first.remote() : first.local()).cpu();
        CpuUsage receiverCpu = (reverse ? first.local() : first.remote()).cpu();
        return new Bandwidth(bytes, sent, seconds, bps, msgRate,
                Cost.of(senderCpu, sendRate), Cost.of(receiverCpu, bps / 8), streams, null,
                SenderTcp.of(streams.stream().map(Bandwidth.Stream::senderTcp).toList()), null, shared);
    }

    static final String BIDIR = "not separable: with --bidir each end sends and receives at once, in one CPU figure";

    /**
     * --bidir: the sending half's and the receiving half's figures apart, and together (as iperf3's sum of the two).
     * Each end's CPU serves both directions at once, so no cost per GB sent or received can be told from it.
     */
    static Bandwidth bidir(List<Outcome> outcomes, List<TcpStream.Sockets> sockets, CommonWindow.Counts common, int msgSize) {
        int half = outcomes.size() / 2;
        int all = outcomes.size();
        Bandwidth send = withoutCosts(bandwidth(false, outcomes.subList(0, half), sockets == null ? null : sockets.subList(0, half),
                common == null ? null : common.subList(0, half), msgSize), 0);
        Bandwidth receive = withoutCosts(bandwidth(true, outcomes.subList(half, all),
                sockets == null ? null : sockets.subList(half, all), common == null ? null : common.subList(half, all), msgSize), half);
        List<Bandwidth.Stream> streams = new ArrayList<>(send.perStream());
        streams.addAll(receive.perStream());
        return new Bandwidth(send.bytes() + receive.bytes(), send.bytesSent() + receive.bytesSent(),
                Math.max(send.seconds(), receive.seconds()), send.bitsPerSecond() + receive.bitsPerSecond(),
                send.msgRate() + receive.msgRate(), send.sendCost(), send.recvCost(), streams, null,
                SenderTcp.of(streams.stream().map(Bandwidth.Stream::senderTcp).toList()), new Bandwidth.Bidir(send, receive),
                both(send.common(), receive.common()));
    }

    /** --bidir's two halves' common windows as one (the same window), or the first reason either has none. */
    private static Bandwidth.Common both(Bandwidth.Common send, Bandwidth.Common receive) {
        if (send == null || receive == null) {
            return null;
        }
        return !send.read() ? send : !receive.read() ? receive : Bandwidth.Common.of(send.bytes() + receive.bytes(), send.seconds());
    }

    /** The figures with the costs withheld ({@link #BIDIR}) and the streams numbered from {@code first} + 1. */
    private static Bandwidth withoutCosts(Bandwidth b, int first) {
        List<Bandwidth.Stream> streams = b.perStream().stream().map(s -> new Bandwidth.Stream(first + s.stream(), s.bytes(),
                s.bytesSent(), s.seconds(), s.bitsPerSecond(), s.senderTcp(), s.sockets())).toList();
        return new Bandwidth(b.bytes(), b.bytesSent(), b.seconds(), b.bitsPerSecond(), b.msgRate(),
                b.sendCost().notSeparable(BIDIR), b.recvCost().notSeparable(BIDIR), streams, null, b.senderTcp(), null, b.common());
    }

    /** Client and agent as sender and receiver: the client sends unless -R. */
    private static SocketReadback.Ends ends(boolean reverse, TcpStream.Sockets s) {
        if (s == null || s.local == null) {
            return null;
        }
        return reverse ? new SocketReadback.Ends(s.remote, s.local) : new SocketReadback.Ends(s.local, s.remote);
    }

    static final String SAME_PROCESS = "not separable: both ends ran in one process on one host";
    static final String SAME_HOST = "not separable: both ends ran on one host (the same kernel), whose CPU they share";

    /**
     * The result with the costs that cannot be split between its two ends withheld: the host-wide ones when both
     * ran on one host, all of them when both ran in one process. A cost charged to both ends would be counted twice.
     */
    static TestResult separated(TestResult r, Identity local, Identity remote) {
        Bandwidth b = r.bandwidth();
        if (b == null || !local.sameHost(remote) && !local.sameProcess(remote)) {
            return r;
        }
        boolean one = local.sameProcess(remote);
        Cost send = one ? b.sendCost().notSeparable(SAME_PROCESS) : b.sendCost().hostNotSeparable(SAME_HOST);
        Cost recv = one ? b.recvCost().notSeparable(SAME_PROCESS) : b.recvCost().hostNotSeparable(SAME_HOST);
        return new TestResult(r.test(), r.msgSize(), r.streams(), r.reverse(),
                new Bandwidth(b.bytes(), b.bytesSent(), b.seconds(), b.bitsPerSecond(), b.msgRate(), send, recv,
                        b.perStream(), b.datagrams(), b.senderTcp(), b.bidir(), b.common()),
                r.latency(), r.http(), r.connectRate(), r.localCpu(), r.remoteCpu());
    }

    static Latency latency(List<TestEndpoint> endpoints, List<Outcome> outcomes) {
        return Latency.of(endpoints.stream().map(e -> ((TcpLatency.Pinger) e).recorder()).toList(),
                outcomes.stream().map(Outcome::local).toList(), 0)
                .withIo(Latency.io(outcomes.get(0).local().io(), outcomes.get(0).remote().io()));
    }

    /** Completed transactions started in the client's window, per second of that window. */
    static ConnectRate connectRate(TcpConnectRate.Driver driver, Outcome outcome) {
        double seconds = outcome.local().seconds();
        return new ConnectRate(driver.transactions(), driver.failed(), seconds, rate(driver.transactions(), seconds),
                driver.connectTimes().stats(), driver.transactionTimes().stats());
    }

    private static double rate(double amount, double seconds) {
        return seconds > 0 ? amount / seconds : Double.NaN;
    }
}
