package dev.netbench.iperf3;

import dev.netbench.NetbenchException;
import dev.netbench.cpu.Cost;
import dev.netbench.cpu.CpuUsage;
import dev.netbench.cpu.ProcessCpu;
import dev.netbench.host.Identity;
import dev.netbench.host.Version;
import dev.netbench.json.JsonWriter;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.Bandwidth;
import dev.netbench.report.Datagrams;
import dev.netbench.report.RunReport;
import dev.netbench.report.SenderTcp;
import dev.netbench.report.TestResult;
import dev.netbench.report.UdpErrors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What netbench's iperf3 client makes of a test once it is over: its own streams' figures and the server's results
 * exchange, as netbench's report and in iperf3's JSON shape (each figure taken from the end that measured it: the
 * receiver's bytes, the sender's retransmits, iperf3's loss as its receiver counts it).
 */
final class Iperf3ClientResults {
    /** iperf3's results exchange carries no congestion window, MSS or RTT, so netbench's TCP_INFO figures are not had. */
    private static final SenderTcp NO_TCP_INFO = SenderTcp.unavailable("not measured over iperf3's protocol");
    private final Iperf3Client.Settings settings;
    private final String target;
    private final String cookie;
    private final List<Finished> streams;

    /** One of the client's streams once it stopped: its iperf3 id, its direction, what it counted, its addresses. */
    record Finished(int id, boolean sending, StreamFigures figures, Iperf3Summary.Connected connected) {
    }

    Iperf3ClientResults(Iperf3Client.Settings settings, String target, String cookie, List<Finished> streams) {
        this.settings = settings;
        this.target = target;
        this.cookie = cookie;
        this.streams = streams;
    }

    /** This end's half of iperf3's results exchange: its CPU and each stream's figures. */
    String json(CpuUsage cpu, double seconds) {
        double wall = cpu.wallSeconds();
        double user = wall > 0 ? 100 * cpu.process().user() / wall : 0;
        double system = wall > 0 ? 100 * cpu.process().system() / wall : 0;
        JsonWriter w = new JsonWriter(false).beginObject(null)
                .value("cpu_util_total", user + system).value("cpu_util_user", user).value("cpu_util_system", system)
                .value("sender_has_retransmits", settings.reverse() ? -1 : 0);
        w.beginArray("streams");
        for (Finished s : streams) {
            StreamFigures f = s.figures();
            w.beginObject(null).value("id", s.id()).value("bytes", f.bytes()).value("retransmits", -1)
                    .value("jitter", f.jitterSeconds()).value("errors", f.errors()).value("packets", f.packets())
                    .value("start_time", 0).value("end_time", seconds).endObject();
        }
        return w.endArray().endObject().toString();
    }

    @SuppressWarnings("unchecked")
    Iperf3Client.Run of(Map<String, Object> remote, CpuUsage localCpu, double seconds, List<Iperf3Summary.Interval> intervals) {
        Map<Long, Map<String, Object>> byId = new HashMap<>();
        if (remote.get("streams") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m && m.get("id") instanceof Long id) {
                    byId.put(id, (Map<String, Object>) m);
                }
            }
        }
        double remoteUser = number(remote, "cpu_util_user", Double.NaN);
        double remoteSystem = number(remote, "cpu_util_system", Double.NaN);
        boolean remoteRetransmits = number(remote, "sender_has_retransmits", 0) == 1;
        List<Iperf3Summary.StreamEnd> ends = new ArrayList<>();
        List<Bandwidth.Stream> perStream = new ArrayList<>();
        long received = 0;
        long sent = 0;
        double bps = 0;
        double sendBps = 0;
        double maxSeconds = 0;
        long datagramsSent = 0;
        long datagramsReceived = 0;
        long datagramsLost = 0;
        long outOfOrder = 0;
        double jitterMs = 0;
        for (Finished s : streams) {
            StreamFigures f = s.figures();
            Map<String, Object> r = byId.get((long) s.id());
            if (r == null) {
                throw new NetbenchException(target + " sent no results for stream " + s.id());
            }
            long remoteBytes = (long) number(r, "bytes", 0);
            double remoteSeconds = number(r, "end_time", seconds) - number(r, "start_time", 0);
            Iperf3Summary.Side local;
            Iperf3Summary.Side other;
            if (s.sending()) {
                long lost = settings.udp() ? (long) number(r, "errors", 0) : 0;
                long packets = settings.udp() ? (long) number(r, "packets", 0) : 0;
                local = new Iperf3Summary.Side(0, seconds, seconds, f.bytes(), -1, 0, 0, f.packets(), 0);
                long got = settings.udp() ? remoteBytes / settings.blockSize() : 0;
                // lost as iperf3 counts it: the receiver's gaps in the sequence numbers up to the highest it saw
                other = new Iperf3Summary.Side(0, remoteSeconds, remoteSeconds, remoteBytes, -1, number(r, "jitter", 0) * 1e3,
                        lost, packets, 0);
                ends.add(new Iperf3Summary.StreamEnd(s.id(), local, other));
                datagramsSent += f.packets();
                datagramsReceived += got;
                datagramsLost += lost;
            } else {
                long remotePackets = settings.udp() ? remoteBytes / settings.blockSize() : 0;
                long retransmits = remoteRetransmits ? (long) number(r, "retransmits", -1) : -1;
                other = new Iperf3Summary.Side(0, remoteSeconds, remoteSeconds, remoteBytes, retransmits, 0, 0, remotePackets, 0);
                local = new Iperf3Summary.Side(0, seconds, seconds, f.bytes(), -1, f.jitterSeconds() * 1e3,
                        f.errors(), f.packets(), f.outOfOrder());
                ends.add(new Iperf3Summary.StreamEnd(s.id(), other, local));
                datagramsSent += remotePackets;
                datagramsReceived += f.packets() - f.errors();
                datagramsLost += f.errors();
                outOfOrder += f.outOfOrder();
            }
            Iperf3Summary.StreamEnd e = ends.get(ends.size() - 1);
            jitterMs += e.receiver().jitterMs() / streams.size();
            double streamBps = e.receiver().bitsPerSecond();
            perStream.add(new Bandwidth.Stream(perStream.size() + 1, e.receiver().bytes(), e.sender().bytes(), e.receiver().seconds(), streamBps,
                    settings.udp() ? null : NO_TCP_INFO));
            received += e.receiver().bytes();
            sent += e.sender().bytes();
            bps += streamBps;
            sendBps += e.sender().bitsPerSecond();
            maxSeconds = Math.max(maxSeconds, e.receiver().seconds());
        }
        // the server's CPU as iperf3 reports it (% of one CPU over the test): enough for its cost per GB
        String hostUnknown = "iperf3 reports its process's CPU only";
        CpuUsage remoteCpu = Double.isNaN(remoteUser) ? null : new CpuUsage(seconds,
                new ProcessCpu(remoteUser / 100 * seconds, remoteSystem / 100 * seconds), 0, null,
                null, null, hostUnknown, null, hostUnknown);
        CpuUsage senderCpu = settings.reverse() ? remoteCpu : localCpu;
        CpuUsage receiverCpu = settings.reverse() ? localCpu : remoteCpu;
        Datagrams datagrams = null;
        if (settings.udp()) {
            long expected = datagramsReceived + datagramsLost;
            UdpErrors notMeasured = UdpErrors.unavailable("not measured over iperf3's protocol");
            datagrams = new Datagrams(datagramsSent, datagramsReceived, datagramsLost, expected > 0 ? 100.0 * datagramsLost / expected : 0,
                    jitterMs, outOfOrder, 0, sendBps, Double.NaN, Double.NaN, notMeasured, notMeasured, -1, -1, 0, Double.NaN, false, false);
        }
        Bandwidth bandwidth = new Bandwidth(received, sent, maxSeconds, bps,
                maxSeconds > 0 ? (double) received / settings.blockSize() / maxSeconds : Double.NaN,
                cost(senderCpu, sendBps / 8), cost(receiverCpu, bps / 8), perStream, datagrams,
                settings.udp() ? null : NO_TCP_INFO);
        TestKind kind = settings.udp() ? TestKind.UDP_BW : TestKind.TCP_BW;
        TestResult result = new TestResult(kind, settings.blockSize(), settings.parallel(), settings.reverse(), bandwidth,
                null, null, null, localCpu, null);
        Identity self = Identity.local();
        RunReport report = new RunReport(Version.get(), "iperf3://" + settings.host() + ":" + settings.port(), false, self, null,
                new RunReport.Settings(settings.seconds(), settings.omitSeconds(), settings.parallel(), settings.reverse(), "iperf3 protocol"),
                List.of(result));
        List<Iperf3Summary.Connected> connected = new ArrayList<>();
        for (Finished s : streams) {
            connected.add(s.connected());
        }
        String congestion = remote.get("congestion_used") instanceof String cc ? cc : null;
        Iperf3Summary summary = new Iperf3Summary(settings.host(), settings.port(), settings.udp(), settings.reverse(),
                settings.parallel(), settings.blockSize(), settings.omitSeconds(), settings.seconds(), settings.bitsPerSecond(),
                cookie, System.currentTimeMillis() / 1000, connected, intervals, ends,
                Iperf3Summary.Cpu.of(localCpu, remoteCpu), settings.reverse() ? congestion : null, settings.reverse() ? null : congestion);
        return new Iperf3Client.Run(report, summary);
    }

    /** The cost at an end whose CPU iperf3 did not report (an older server, or -J without CPU) is unknown, not free. */
    private static Cost cost(CpuUsage cpu, double bytesPerSecond) {
        String why = "the iperf3 server reported no CPU figures";
        return cpu == null ? new Cost(Double.NaN, Double.NaN, Double.NaN, why, why, why) : Cost.of(cpu, bytesPerSecond);
    }

    private static double number(Map<String, Object> m, String key, double dflt) {
        return m.get(key) instanceof Number n ? n.doubleValue() : dflt;
    }
}
