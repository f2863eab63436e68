package dev.netbench.report;

import dev.netbench.cpu.Baseline;
import dev.netbench.cpu.CpuUsage;
import dev.netbench.cpu.HostCpu;
import dev.netbench.cpu.ProcessCpu;
import dev.netbench.cpu.Softirqs;
import dev.netbench.protocol.Fields;

/**
 * What one end of one connection counted over its own measured window (MARK to END): payload bytes and messages
 * it sent and received, the window's length by its own clock, and its CPU; at the sending end of a tcp_bw stream,
 * its TCP_INFO over the window ({@code senderTcp}, null at other ends); how it waited for its peer ({@code io}:
 * {@code blocking}, {@code busy_poll} or {@code event_loop}; null where not said: udp_bw, an older agent). The server
 * sends its figures to the client in the RESULT frame.
 */
public record EndFigures(long bytesSent, long bytesReceived, long messagesSent, long messagesReceived,
                         long windowNanos, CpuUsage cpu, SenderTcp senderTcp, String io) {

    public EndFigures(long bytesSent, long bytesReceived, long messagesSent, long messagesReceived, long windowNanos,
                      CpuUsage cpu, SenderTcp senderTcp) {
        this(bytesSent, bytesReceived, messagesSent, messagesReceived, windowNanos, cpu, senderTcp, null);
    }

    public EndFigures withIo(String io) {
        return new EndFigures(bytesSent, bytesReceived, messagesSent, messagesReceived, windowNanos, cpu, senderTcp, io);
    }

    public double seconds() {
        return windowNanos / 1e9;
    }

    public Fields toFields() {
        Fields.Builder b = Fields.builder()
                .put("bytes_sent", bytesSent)
                .put("bytes_received", bytesReceived)
                .put("messages_sent", messagesSent)
                .put("messages_received", messagesReceived)
                .putAll(senderTcp == null ? Fields.EMPTY : senderTcp.toFields(), "tcp_info.")
                .put("window_ns", windowNanos)
                .put("cpu.wall_s", cpu.wallSeconds());
        if (io != null) {
            b.put("io", io);
        }
        if (cpu.process() != null) {
            b.put("cpu.process.user_s", cpu.process().user())
                    .put("cpu.process.system_s", cpu.process().system())
                    .put("cpu.process.compiler_s", cpu.compilerSeconds());
        } else {
            b.put("cpu.process.missing", cpu.processMissing());
        }
        if (cpu.host() != null) {
            HostCpu h = cpu.host();
            b.put("cpu.host.user_s", h.user())
                    .put("cpu.host.system_s", h.system())
                    .put("cpu.host.irq_s", h.irq())
                    .put("cpu.host.softirq_s", h.softirq())
                    .put("cpu.host.steal_s", h.steal())
                    .put("cpu.host.idle_s", h.idle())
                    .put("cpu.host.iowait_s", h.iowait());
            if (cpu.softirqs() != null) {
                b.put("cpu.host.net_rx_softirqs", cpu.softirqs().netRx()).put("cpu.host.net_tx_softirqs", cpu.softirqs().netTx());
            }
        } else {
            b.put("cpu.host.missing", cpu.hostMissing());
        }
        if (cpu.baseline() != null) {
            b.put("cpu.baseline.wall_s", cpu.baseline().wallSeconds()).put("cpu.baseline.busy_s", cpu.baseline().busySeconds());
        } else {
            b.put("cpu.baseline.missing", cpu.baselineMissing());
        }
        return b.build();
    }

    /** Parses the figures a server sent; a part it could not measure comes with its reason instead of numbers. */
    public static EndFigures fromFields(Fields f) {
        String processMissing = f.get("cpu.process.missing");
        String hostMissing = f.get("cpu.host.missing");
        String baselineMissing = f.get("cpu.baseline.missing");
        ProcessCpu process = processMissing != null ? null
                : new ProcessCpu(f.requireDouble("cpu.process.user_s"), f.requireDouble("cpu.process.system_s"));
        HostCpu host = hostMissing != null ? null
                : new HostCpu(f.requireDouble("cpu.host.user_s"), f.requireDouble("cpu.host.system_s"),
                        f.requireDouble("cpu.host.irq_s"), f.requireDouble("cpu.host.softirq_s"),
                        f.requireDouble("cpu.host.steal_s"), f.requireDouble("cpu.host.idle_s"),
                        f.requireDouble("cpu.host.iowait_s"));
        Softirqs softirqs = host == null || f.get("cpu.host.net_rx_softirqs") == null ? null
                : new Softirqs(f.requireLong("cpu.host.net_rx_softirqs"), f.requireLong("cpu.host.net_tx_softirqs"));
        Baseline baseline = f.get("cpu.baseline.wall_s") == null ? null
                : new Baseline(f.requireDouble("cpu.baseline.wall_s"), f.requireDouble("cpu.baseline.busy_s"));
        if (baseline == null && baselineMissing == null) {
            baselineMissing = "the server reported no baseline";
        }
        CpuUsage cpu = new CpuUsage(f.requireDouble("cpu.wall_s"), process,
                process == null || f.get("cpu.process.compiler_s") == null ? 0 : f.requireDouble("cpu.process.compiler_s"),
                processMissing, host, softirqs, hostMissing, baseline, baselineMissing);
        return new EndFigures(f.requireLong("bytes_sent"), f.requireLong("bytes_received"),
                f.requireLong("messages_sent"), f.requireLong("messages_received"), f.requireLong("window_ns"), cpu,
                SenderTcp.fromFields(f.withPrefix("tcp_info.")), f.get("io"));
    }
}
