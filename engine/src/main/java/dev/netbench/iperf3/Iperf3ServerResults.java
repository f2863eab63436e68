package dev.netbench.iperf3;

import dev.netbench.cpu.CpuUsage;
import dev.netbench.host.Version;
import dev.netbench.json.JsonWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the agent says of an iperf3 test it served: its results as an iperf3 server sends them, and its log line. */
final class Iperf3ServerResults {
    /** The host's default TCP congestion control, which the agent's connections use. */
    private static final String CONGESTION = readCongestion();

    private static String readCongestion() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/tcp_congestion_control")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private Iperf3ServerResults() {
    }

    /** This end's results, in the shape an iperf3 server sends: CPU %, then per stream what it sent or received. */
    static String json(Iperf3Params params, List<StreamFigures> figures, CpuUsage cpu) {
        boolean serverSends = params.reverse() || params.bidirectional();
        boolean haveRetransmits = !params.udp() && figures.stream().anyMatch(f -> f.sent() && f.retransmits() >= 0);
        JsonWriter w = new JsonWriter(false).beginObject(null);
        double wall = cpu.wallSeconds();
        double user = wall > 0 ? 100 * cpu.process().user() / wall : 0;
        double system = wall > 0 ? 100 * cpu.process().system() / wall : 0;
        w.value("cpu_util_total", user + system).value("cpu_util_user", user).value("cpu_util_system", system)
                .value("sender_has_retransmits", serverSends ? (haveRetransmits ? 1 : 0) : -1);
        if (!params.udp()) {
            w.value("congestion_used", CONGESTION);
        }
        w.beginArray("streams");
        for (StreamFigures f : figures) {
            w.beginObject(null)
                    .value("id", f.id())
                    .value("bytes", f.bytes())
                    .value("retransmits", f.retransmits())
                    .value("jitter", f.jitterSeconds())
                    .value("errors", f.errors())
                    .value("packets", f.packets())
                    .value("start_time", 0)
                    .value("end_time", f.seconds())
                    .endObject();
        }
        w.endArray();
        if (params.getServerOutput()) {
            w.value("server_output_text", outputText(params, figures));
        }
        return w.endObject().toString();
    }

    private static String outputText(Iperf3Params params, List<StreamFigures> figures) {
        StringBuilder b = new StringBuilder("netbench " + Version.get() + " served this iperf3 test\n");
        for (StreamFigures f : figures) {
            b.append(String.format(Locale.ROOT, "stream %d: %s %d bytes in %.3f s = %.0f bits/s%s%n", f.id(),
                    f.sent() ? "sent" : "received", f.bytes(), f.seconds(), f.seconds() > 0 ? f.bytes() * 8 / f.seconds() : 0.0,
                    params.udp() && !f.sent() ? String.format(Locale.ROOT, ", jitter %.3f ms, lost %d/%d", f.jitterSeconds() * 1e3, f.errors(), f.packets()) : ""));
        }
        return b.toString();
    }

    /** The agent's log line of a test it served. */
    static String servedLine(Iperf3Params params, List<StreamFigures> figures, String peer) {
        long received = figures.stream().filter(f -> !f.sent()).mapToLong(StreamFigures::bytes).sum();
        long sent = figures.stream().filter(StreamFigures::sent).mapToLong(StreamFigures::bytes).sum();
        double seconds = figures.isEmpty() ? 0 : figures.get(0).seconds();
        return String.format(Locale.ROOT, "event=served test=iperf3 protocol=%s reverse=%s bidir=%s streams=%d block=%d peer=%s"
                        + " client_version=%s bytes_sent=%d bytes_received=%d seconds=%.3f bits_per_second=%.0f",
                params.udp() ? "udp" : "tcp", params.reverse(), params.bidirectional(), figures.size(), params.blockSize(), peer,
                params.clientVersion() == null ? "-" : params.clientVersion().replaceAll("[\\s\"]", "_"), sent, received, seconds,
                seconds > 0 ? (sent + received) * 8 / seconds : 0.0);
    }
}
