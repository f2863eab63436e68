package dev.netbench.udp;

import dev.netbench.cpu.Cost;
import dev.netbench.cpu.CpuUsage;
import dev.netbench.protocol.TestSpec;
import dev.netbench.report.Bandwidth;
import dev.netbench.report.Datagrams;
import dev.netbench.report.EndFigures;
import dev.netbench.report.Latency;
import dev.netbench.report.TestResult;

import java.util.ArrayList;
import java.util.List;

/** Turns the streams' {@link UdpOutcome}s into one {@link TestResult} (the math is in docs/metrics.md). */
public final class UdpResults {
    private UdpResults() {
    }

    public static TestResult of(TestSpec spec, List<UdpOutcome> outcomes) {
        CpuUsage localCpu = outcomes.get(0).local().cpu();
        CpuUsage remoteCpu = outcomes.get(0).remote().cpu();
        return switch (spec.kind()) {
            case UDP_BW -> new TestResult(spec.kind(), spec.msgSize(), spec.streams(), spec.reverse(),
                    bandwidth(spec.reverse(), outcomes), null, null, null, localCpu, remoteCpu);
            case UDP_LAT -> new TestResult(spec.kind(), spec.msgSize(), spec.streams(), false,
                    null, latency(outcomes), null, null, localCpu, remoteCpu);
            case MTU -> TestResult.mtu(outcomes.get(0).mtu(), spec.msgSize(), localCpu, remoteCpu);
            default -> throw new IllegalArgumentException(spec.kind().wireName() + " is not a UDP test");
        };
    }

    /**
     * Per stream, the received rate is the receiver's bytes over the sender's window (as iperf3's receiver figure, so
     * an outage at either edge of the window lowers it), the arrival-span rate the receiver's bytes after the first
     * over the first-to-last arrival time, and the send rate the sender's bytes over its window; each summed over
     * streams. Loss is what the senders sent in their windows minus the unique datagrams received. The kernel's
     * counters, the socket buffers and the offloads are stream 1's: the counters are per network namespace, so summing the streams'
     * would count the same drops once per stream.
     */
    static Bandwidth bandwidth(boolean reverse, List<UdpOutcome> outcomes) {
        List<Bandwidth.Stream> streams = new ArrayList<>();
        long bytes = 0;
        long bytesSent = 0;
        long sent = 0;
        long received = 0;
        long outOfOrder = 0;
        long duplicates = 0;
        double jitterSum = 0;
        double seconds = 0;
        double arrivalSeconds = 0;
        double bps = 0;
        double arrivalBps = 0;
        double sendBps = 0;
        double msgRate = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            UdpOutcome o = outcomes.get(i);
            EndFigures receiver = reverse ? o.local() : o.remote();
            EndFigures sender = reverse ? o.remote() : o.local();
            ArrivalFigures a = o.arrivals();
            double streamBps = rate(receiver.bytesReceived() * 8.0, sender.seconds());
            streams.add(new Bandwidth.Stream(i + 1, receiver.bytesReceived(), sender.bytesSent(), sender.seconds(), streamBps, null));
            bytes += receiver.bytesReceived();
            bytesSent += sender.bytesSent();
            sent += sender.messagesSent();
            received += a.datagrams();
            outOfOrder += a.outOfOrder();
            duplicates += a.duplicates();
            jitterSum += a.jitterNanos();
            seconds = Math.max(seconds, sender.seconds());
            arrivalSeconds = Math.max(arrivalSeconds, a.trainNanos() / 1e9);
            bps += streamBps;
            arrivalBps += rate(a.trainBytes() * 8.0, a.trainNanos() / 1e9);
            sendBps += rate(sender.bytesSent() * 8.0, sender.seconds());
            msgRate += rate(a.datagrams(), sender.seconds());
        }
        long lost = sent - received;
        UdpOutcome first = outcomes.get(0);
        Datagrams datagrams = new Datagrams(sent, received, lost, sent > 0 ? 100.0 * lost / sent : Double.NaN,
                jitterSum / outcomes.size() / 1e6, outOfOrder, duplicates, sendBps,
                arrivalBps, arrivalSeconds, first.arrivals().kernel(), first.sender().kernel(), first.arrivals().receiveBuffer(),
                first.sender().sendBuffer(), first.sender().gsoSegments(), first.sender().datagramsPerSend(), first.arrivals().gro(),
                first.arrivals().recvmmsg());
        CpuUsage senderCpu = (reverse ? first.remote() : first.local()).cpu();
        CpuUsage receiverCpu = (reverse ? first.local() : first.remote()).cpu();
        return new Bandwidth(bytes, bytesSent, seconds, bps, msgRate, Cost.of(senderCpu, sendBps / 8),
                Cost.of(receiverCpu, bps / 8), streams, datagrams, null);
    }

    static Latency latency(List<UdpOutcome> outcomes) {
        return Latency.of(outcomes.stream().map(UdpOutcome::rtt).toList(), outcomes.stream().map(UdpOutcome::local).toList(),
                outcomes.stream().mapToLong(UdpOutcome::lost).sum())
                .withIo(Latency.io(outcomes.get(0).local().io(), outcomes.get(0).remote().io()));
    }

    private static double rate(double amount, double seconds) {
        return seconds > 0 ? amount / seconds : Double.NaN;
    }
}
