package dev.netbench.report;

import dev.netbench.cpu.CpuUsage;
import dev.netbench.cpu.HostCpu;
import dev.netbench.cpu.ProcessCpu;
import dev.netbench.protocol.Fields;

/**
 * What one end of one connection counted over its own measured window (MARK to END): payload bytes and messages
 * it sent and received, the window's length by its own clock, and its CPU; at the sending end of a tcp_bw stream,
 * its TCP_INFO over the window ({@code senderTcp}, null at other ends). The server sends its figures to the client
 * in the RESULT frame.
 */
public record EndFigures(long bytesSent, long bytesReceived, long messagesSent, long messagesReceived,
                         long windowNanos, CpuUsage cpu, SenderTcp senderTcp) {

    public double seconds() {
        return windowNanos / 1e9;
    }

    public Fields toFields() {
        return Fields.builder()
                .put("bytes_sent", bytesSent)
                .put("bytes_received", bytesReceived)
                .put("messages_sent", messagesSent)
                .put("messages_received", messagesReceived)
                .putAll(senderTcp == null ? Fields.EMPTY : senderTcp.toFields(), "tcp_info.")
                .put("window_ns", windowNanos)
                .put("cpu.wall_s", cpu.wallSeconds())
                .put("cpu.process.user_s", cpu.process().user())
                .put("cpu.process.system_s", cpu.process().system())
                .put("cpu.host.user_s", cpu.host().user())
                .put("cpu.host.system_s", cpu.host().system())
                .put("cpu.host.irq_s", cpu.host().irq())
                .put("cpu.host.softirq_s", cpu.host().softirq())
                .put("cpu.host.steal_s", cpu.host().steal())
                .put("cpu.host.idle_s", cpu.host().idle())
                .put("cpu.host.iowait_s", cpu.host().iowait())
                .build();
    }

    public static EndFigures fromFields(Fields f) {
        CpuUsage cpu = new CpuUsage(f.requireDouble("cpu.wall_s"),
                new ProcessCpu(f.requireDouble("cpu.process.user_s"), f.requireDouble("cpu.process.system_s")),
                new HostCpu(f.requireDouble("cpu.host.user_s"), f.requireDouble("cpu.host.system_s"),
                        f.requireDouble("cpu.host.irq_s"), f.requireDouble("cpu.host.softirq_s"),
                        f.requireDouble("cpu.host.steal_s"), f.requireDouble("cpu.host.idle_s"),
                        f.requireDouble("cpu.host.iowait_s")));
        return new EndFigures(f.requireLong("bytes_sent"), f.requireLong("bytes_received"),
                f.requireLong("messages_sent"), f.requireLong("messages_received"), f.requireLong("window_ns"), cpu,
                SenderTcp.fromFields(f.withPrefix("tcp_info.")));
    }
}
