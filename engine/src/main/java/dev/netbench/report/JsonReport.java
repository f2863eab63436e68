package dev.netbench.report;

import dev.netbench.cpu.CpuUsage;
import dev.netbench.host.Identity;
import dev.netbench.latency.RttStats;

/** The --json document; field names and meanings are listed in docs/metrics.md. */
public final class JsonReport {
    private JsonReport() {
    }

    public static String format(RunReport run) {
        JsonWriter w = new JsonWriter(true);
        w.beginObject(null)
                .value("tool", "netbench")
                .value("version", run.version())
                .value("target", run.target())
                .value("loopback_self_test", run.loopbackSelfTest());
        RunReport.Settings s = run.settings();
        w.beginObject("settings")
                .value("seconds", s.seconds())
                .value("warmup_seconds", s.warmupSeconds())
                .value("parallel", s.parallel())
                .value("reverse", s.reverse())
                .value("transport", s.transport())
                .endObject();
        identity(w, "local", run.local());
        identity(w, "remote", run.remote());
        w.beginArray("results");
        for (TestResult r : run.results()) {
            result(w, r);
        }
        w.endArray().endObject();
        return w + "\n";
    }

    private static void identity(JsonWriter w, String name, Identity id) {
        if (id == null) {
            return;
        }
        w.beginObject(name)
                .value("hostname", id.hostname())
                .value("version", id.version())
                .value("os", id.os())
                .value("kernel", id.kernel())
                .value("cpu_model", id.cpuModel())
                .value("cpus", id.cpus());
        w.beginObject("kubernetes");
        id.kubernetes().forEach((k, v) -> w.value(k.toLowerCase(java.util.Locale.ROOT), v));
        w.endObject().endObject();
    }

    private static void result(JsonWriter w, TestResult r) {
        w.beginObject(null)
                .value("test", r.test().wireName())
                .value("msg_size", r.msgSize())
                .value("streams", r.streams())
                .value("reverse", r.reverse());
        if (r.bandwidth() != null) {
            Bandwidth b = r.bandwidth();
            w.value("bits_per_second", b.bitsPerSecond())
                    .value("bytes", b.bytes())
                    .value("bytes_sent", b.bytesSent())
                    .value("seconds", b.seconds())
                    .value("msg_rate", b.msgRate())
                    .value("send_cost_s_per_gb", b.sendCost())
                    .value("recv_cost_s_per_gb", b.recvCost());
            w.beginArray("per_stream");
            for (Bandwidth.Stream st : b.perStream()) {
                w.beginObject(null)
                        .value("stream", st.stream())
                        .value("bits_per_second", st.bitsPerSecond())
                        .value("bytes", st.bytes())
                        .value("bytes_sent", st.bytesSent())
                        .value("seconds", st.seconds())
                        .endObject();
            }
            w.endArray();
        }
        if (r.latency() != null) {
            Latency l = r.latency();
            RttStats rtt = l.rtt();
            w.value("latency_us", l.latencyUs())
                    .value("msg_rate", l.msgRate())
                    .value("round_trips", l.roundTrips())
                    .value("seconds", l.seconds());
            w.beginObject("rtt_us")
                    .value("min", rtt.min())
                    .value("mean", rtt.mean())
                    .value("p50", rtt.p50())
                    .value("p90", rtt.p90())
                    .value("p99", rtt.p99())
                    .value("p999", rtt.p999())
                    .value("max", rtt.max())
                    .endObject();
        }
        w.beginObject("cpu");
        cpu(w, "local", r.localCpu());
        cpu(w, "remote", r.remoteCpu());
        w.endObject().endObject();
    }

    private static void cpu(JsonWriter w, String name, CpuUsage c) {
        w.beginObject(name).value("wall_seconds", c.wallSeconds());
        w.beginObject("process")
                .value("user_s", c.process().user())
                .value("system_s", c.process().system())
                .value("cpus_used_percent", c.processCpusUsed())
                .endObject();
        w.beginObject("host")
                .value("user_s", c.host().user())
                .value("system_s", c.host().system())
                .value("irq_s", c.host().irq())
                .value("softirq_s", c.host().softirq())
                .value("steal_s", c.host().steal())
                .value("idle_s", c.host().idle())
                .value("iowait_s", c.host().iowait())
                .value("cpus_used_percent", c.hostCpusUsed())
                .endObject();
        w.endObject();
    }
}
