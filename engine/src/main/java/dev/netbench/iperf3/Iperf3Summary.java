package dev.netbench.iperf3;

import dev.netbench.cpu.CpuUsage;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.Bandwidth;
import dev.netbench.report.Datagrams;
import dev.netbench.report.RunReport;
import dev.netbench.report.TestResult;

import java.util.ArrayList;
import java.util.List;

/**
 * One bandwidth test as iperf3's -J document describes it: what {@link Iperf3Json} writes. Built by the
 * {@link Iperf3Client} from its own run against an iperf3 server (intervals, sockets, both ends' CPU, retransmits
 * where the server reports them), or by {@link #of(RunReport)} from a netbench tcp_bw or udp_bw result.
 *
 * @param retransmits sender retransmits summed, -1 where not known (then the key is left out)
 */
public record Iperf3Summary(String host, int port, boolean udp, boolean reverse, int streamsCount, int blockSize, int omit,
                            double duration, long targetBitrate, String cookie, long timestampSeconds, List<Connected> connected,
                            List<Interval> intervals, List<StreamEnd> streams, Cpu cpu, String senderCongestion,
                            String receiverCongestion) {

    public Iperf3Summary {
        connected = List.copyOf(connected);
        intervals = List.copyOf(intervals);
        streams = List.copyOf(streams);
    }

    /** A stream's connection as start.connected lists it. */
    public record Connected(int socket, String localHost, int localPort, String remoteHost, int remotePort) {
    }

    /** One report interval of the client's own end: bytes (and UDP datagrams) per stream in it. */
    public record Interval(double start, double end, long[] bytes, long[] packets, boolean omitted) {
    }

    /** One end's figures of one stream; {@code retransmits} -1 unknown; the UDP fields are the receiver's. */
    public record Side(double start, double end, double seconds, long bytes, long retransmits, double jitterMs, long lost,
                       long packets, long outOfOrder) {
        public double bitsPerSecond() {
            return seconds > 0 ? bytes * 8 / seconds : 0;
        }
    }

    public record StreamEnd(int socket, Side sender, Side receiver) {
    }

    /** Process CPU of each end in % of one CPU, as iperf3's cpu_utilization_percent; NaN where not known. */
    public record Cpu(double hostTotal, double hostUser, double hostSystem, double remoteTotal, double remoteUser,
                      double remoteSystem) {
        static Cpu of(CpuUsage local, CpuUsage remote) {
            return new Cpu(percent(local, true, true), percent(local, true, false), percent(local, false, true),
                    percent(remote, true, true), percent(remote, true, false), percent(remote, false, true));
        }

        private static double percent(CpuUsage c, boolean user, boolean system) {
            if (c == null || c.process() == null || c.wallSeconds() <= 0) {
                return Double.NaN;
            }
            return 100 * ((user ? c.process().user() : 0) + (system ? c.process().system() : 0)) / c.wallSeconds();
        }
    }

    /** The iperf3 shape of a netbench bandwidth result (tcp_bw or udp_bw); no intervals, sockets numbered from 1. */
    public static Iperf3Summary of(RunReport run) {
        if (run.results().size() != 1 || run.results().get(0).bandwidth() == null) {
            throw new IllegalArgumentException("iperf3's JSON shape holds one bandwidth test: run --tcp-bw or --udp-bw alone, at one message size");
        }
        TestResult r = run.results().get(0);
        Bandwidth b = r.bandwidth();
        Datagrams d = b.datagrams();
        boolean udp = r.test() == TestKind.UDP_BW;
        List<StreamEnd> ends = new ArrayList<>();
        int n = b.perStream().size();
        for (Bandwidth.Stream s : b.perStream()) {
            // the sender's own time is not in netbench's per-stream figures: the receiver's window stands for both
            long sentPackets = udp ? ceilDiv(s.bytesSent(), r.msgSize()) : 0;
            long gotPackets = udp ? s.bytes() / Math.max(1, r.msgSize()) : 0;
            double jitter = udp && d != null ? d.jitterMs() : 0;
            Side sender = new Side(0, s.seconds(), s.seconds(), s.bytesSent(), retransmits(s), 0, 0, sentPackets, 0);
            Side receiver = new Side(0, s.seconds(), s.seconds(), s.bytes(), -1, jitter, Math.max(0, sentPackets - gotPackets),
                    sentPackets, udp && d != null && n == 1 ? d.outOfOrder() : 0);
            ends.add(new StreamEnd(s.stream(), sender, receiver));
        }
        String host = run.target();
        return new Iperf3Summary(host, 0, udp, r.reverse(), n, r.msgSize(), (int) Math.round(run.settings().warmupSeconds()),
                run.settings().seconds(), 0, "", System.currentTimeMillis() / 1000, List.of(), List.of(), ends,
                Cpu.of(r.localCpu(), r.remoteCpu()), null, null);
    }

    /** The sender's TCP retransmits, iperf3's own figure; -1 (left out) where TCP_INFO was not read. */
    private static long retransmits(Bandwidth.Stream s) {
        return s.senderTcp() != null && s.senderTcp().figures() != null ? s.senderTcp().figures().retransmits() : -1;
    }

    private static long ceilDiv(long a, long b) {
        return b <= 0 ? 0 : (a + b - 1) / b;
    }
}
