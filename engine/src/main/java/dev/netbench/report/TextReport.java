package dev.netbench.report;

import dev.netbench.confidence.Summary;

import dev.netbench.cpu.Cost;
import dev.netbench.cpu.CpuUsage;
import dev.netbench.cpu.HostCpu;
import dev.netbench.cpu.ProcessCpu;
import dev.netbench.host.Identity;
import dev.netbench.latency.RttFigures;
import dev.netbench.protocol.TestKind;

import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The default output: qperf-like {@code name = value unit} blocks when every test ran at one message size,
 * a table with one row per size for a sweep.
 */
public final class TextReport {
    private TextReport() {
    }

    public static String format(RunReport run) {
        StringBuilder out = new StringBuilder();
        RunReport.Settings s = run.settings();
        out.append(String.format(Locale.ROOT, "netbench %s -> %s (%s, %s s%s%s%s%s)%n", run.version(), run.target(), s.transport(),
                Units.fixed3(s.seconds()), s.warmupSeconds() > 0 ? ", warm-up " + Units.fixed3(s.warmupSeconds()) + " s" : "",
                s.parallel() > 1 ? ", " + s.parallel() + " streams" : "", s.reverse() ? ", reverse" : "",
                s.pinned() != null ? ", tcp_lat and tcp_bw on " + s.pinned() : ""));
        if (run.loopbackSelfTest()) {
            out.append("loopback self-test: server and client share this process and host, so their CPU cannot be split between sender and receiver\n");
        }
        conf(out, "loc", run.local());
        conf(out, "rem", run.remote());
        boolean sweep = run.results().stream().map(TestResult::test).distinct().count() < run.results().size();
        if (sweep) {
            SweepTable.format(out, run.results());
        } else {
            run.results().forEach(r -> block(out, r));
        }
        if (run.partial() != null) {
            Partial p = run.partial();
            out.append(p.test().wireName()).append(p.reverse() ? " (reverse: server sends)" : "")
                    .append(": PARTIAL, did not finish: ").append(p.error()).append('\n');
            line(out, "ran", Units.fixed3(p.seconds()), "s (warm-up included)");
            line(out, "moved", Units.bytes(p.bytes()), "(this end's own count; no server figures)");
            line(out, p.test() == TestKind.TCP_CRR ? "transactions" : "messages", String.valueOf(p.messages()), "");
        }
        RunReport.Calibration c = run.calibration();
        if (c != null) {
            line(out, "calibration", String.format(Locale.ROOT, "tcp_lat %s us on one CPU (%d)%s", Units.fixed3(c.sameCpuLatencyUs()),
                    c.cpuA(), c.cpuB() < 0 ? "" : String.format(Locale.ROOT, ", %s us across CPUs %d and %d",
                            Units.fixed3(c.crossCpuLatencyUs()), c.cpuA(), c.cpuB())),
                    "(netbench's own floor on this host, both ends in this process: what a remote figure carries of netbench)");
        }
        if (!run.complete()) {
            out.append("INCOMPLETE: ").append(run.error()).append('\n');
        }
        return out.toString();
    }

    private static void conf(StringBuilder out, String prefix, Identity id) {
        if (id == null) {
            return;
        }
        out.append("conf (").append(prefix.equals("loc") ? "local" : "remote").append("):\n");
        line(out, prefix + "_node", id.hostname(), "");
        line(out, prefix + "_cpu", id.cpus() + " x " + id.cpuModel(), "");
        line(out, prefix + "_os", id.os() + ", kernel " + id.kernel(), "");
        line(out, prefix + "_netbench", id.version(), "");
        id.kubernetes().forEach((k, v) -> line(out, prefix + "_" + k.toLowerCase(Locale.ROOT), v, ""));
    }

    private static void block(StringBuilder out, TestResult r) {
        boolean bidir = r.bandwidth() != null && r.bandwidth().bidir() != null;
        out.append(r.test().wireName()).append(r.reverse() ? " (reverse: server sends)" : "")
                .append(bidir ? " (bidir: both ways at once)" : "").append(":\n");
        if (r.bandwidth() != null) {
            Bandwidth b = r.bandwidth();
            Datagrams d = b.datagrams();
            if (bidir) {
                line(out, "bw", Units.bitsPerSecond(b.bitsPerSecond()), "(receiver goodput, both directions summed)");
                line(out, "send_bw", Units.bitsPerSecond(b.bidir().send().bitsPerSecond()),
                        "(client to server, streams " + streams(b.bidir().send()) + ")");
                line(out, "recv_bw", Units.bitsPerSecond(b.bidir().receive().bitsPerSecond()),
                        "(server to client, streams " + streams(b.bidir().receive()) + ")");
            } else if (d == null) {
                line(out, "bw", Units.bitsPerSecond(b.bitsPerSecond()), b.common() == null ? "(receiver goodput)"
                        : b.common().read() ? "(goodput, the streams' sum over their common window)"
                        : "(receiver goodput, the streams' own summed: no common window: " + b.common().missing() + ")");
            } else {
                line(out, "send_bw", Units.bitsPerSecond(d.sendBitsPerSecond()), "(sender, UDP payload)");
                line(out, "recv_bw", Units.bitsPerSecond(b.bitsPerSecond()), "(receiver, UDP payload, over the sender's window)");
                line(out, "msg_rate", Units.si(b.msgRate(), "/s"), "(datagrams received per second)");
                line(out, "packets", d.received() + " of " + d.sent() + " received", "");
                line(out, "lost_packets", d.lost() + " (" + Units.fixed3(d.lostPercent()) + " %)", d.receiverOverflowed()
                        ? "(the receiving host's own socket buffers overflowed: see rcvbuf_errors)" : "");
                line(out, "jitter", Units.fixed3(d.jitterMs()) + " ms", "(RFC 3550)");
                line(out, "out_of_order", String.valueOf(d.outOfOrder()), "");
                line(out, "duplicates", String.valueOf(d.duplicates()), "");
                line(out, "arrival_bw", Units.bitsPerSecond(d.arrivalBitsPerSecond()),
                        "(receiver, first to last arrival: " + Units.fixed3(d.arrivalSeconds()) + " s)");
                line(out, "rcvbuf_errors", kernel(d, UdpErrors::rcvbufErrors), "(kernel UDP counters over the window, whole network namespace"
                        + (d.gro() ? "; with gro a dropped batch counts once)" : ")"));
                line(out, "in_errors", kernel(d, UdpErrors::inErrors), "");
                line(out, "recv_socket_buffer", d.receiveBuffer() < 0 ? "n/a" : Units.msgSize(d.receiveBuffer()), "(receiver's SO_RCVBUF as granted)");
                line(out, "send_socket_buffer", d.sendBuffer() < 0 ? "n/a" : Units.msgSize(d.sendBuffer()), "(sender's SO_SNDBUF as granted)");
                line(out, "gso", d.gsoSegments() == 0 ? "n/a" : d.gsoSegments() > 1 ? "on" : "off",
                        d.gsoSegments() > 1 ? "(sender: up to " + d.gsoSegments() + " datagrams per send"
                                + (Double.isNaN(d.datagramsPerSend()) ? ")" : ", " + Units.fixed3(d.datagramsPerSend()) + " on average)") : "");
                line(out, "gro", d.gro() ? "on" : "off", d.gro() ? "(receiver takes GSO batches whole)" : "");
                line(out, "recvmmsg", d.recvmmsg() ? "on" : "off", d.recvmmsg() ? "(receiver reads datagrams in batches)" : "");
            }
            if (d == null) {
                line(out, "msg_rate", Units.si(b.msgRate(), "/s"), "");
            }
            line(out, "msg_size", Units.msgSize(r.msgSize()), "");
            line(out, "time", Units.fixed3(b.seconds()) + " s", "");
            line(out, "recv_bytes", Units.bytes(b.bytes()), "");
            line(out, "send_bytes", Units.bytes(b.bytesSent()), "");
            cost(out, "send", "sender", b.sendCost());
            cost(out, "recv", "receiver", b.recvCost());
            if (b.senderTcp() != null) {
                TcpText.senderTcp(out, b.senderTcp(), b.perStream().size());
            }
            if (b.sockets() != null) {
                TcpText.sockets(out, b.sockets(), b.perStream().size());
            }
            if (b.perStream().size() > 1) {
                for (Bandwidth.Stream st : b.perStream()) {
                    line(out, "stream_" + st.stream(), Units.bitsPerSecond(st.bitsPerSecond()),
                            "(" + Units.bytes(st.bytes()) + " in " + Units.fixed3(st.seconds()) + " s" + streamRetransmits(st) + ")");
                }
            }
        }
        if (r.latency() != null) {
            Latency l = r.latency();
            RttFigures rtt = l.rtt();
            line(out, "latency", Units.fixed3(l.latencyUs()) + " us", "(mean RTT / 2)");
            line(out, "msg_rate", Units.si(l.msgRate(), "/s"), "");
            line(out, "msg_size", Units.msgSize(r.msgSize()), "");
            line(out, "time", Units.fixed3(l.seconds()) + " s", "");
            line(out, "round_trips", String.valueOf(l.roundTrips()), "");
            if (r.test() == TestKind.UDP_LAT) {
                line(out, "lost", String.valueOf(l.lost()), "(requests unanswered within their timeout)");
            }
            line(out, "rtt", percentiles(rtt), "");
            if (l.io() != null) {
                line(out, "io", l.io(), "(how each end waits for the other: docs/metrics.md)");
            }
        }
        if (r.http() != null) {
            HttpText.block(out, r.http());
        }
        if (r.connectRate() != null) {
            ConnectRate c = r.connectRate();
            line(out, "tps", Units.si(c.transactionsPerSecond(), "/s"), "(transactions: connect, request, response, close)");
            line(out, "msg_size", Units.msgSize(r.msgSize()), "");
            line(out, "time", Units.fixed3(c.seconds()) + " s", "");
            line(out, "transactions", String.valueOf(c.transactions()), "");
            line(out, "failed", String.valueOf(c.failed()), "");
            line(out, "connect", percentiles(c.connect()), "");
            line(out, "transaction", percentiles(c.transaction()), "");
        }
        if (r.mtu() != null) {
            mtu(out, r.mtu());
        }
        if (r.underLoad() != null) {
            underLoad(out, r.underLoad());
        }
        if (r.samples() != null) {
            samples(out, r.samples());
        }
        cpu(out, "loc", r.localCpu());
        if (r.remoteCpu() != null) {
            cpu(out, "rem", r.remoteCpu());
        }
    }

    /** The mtu test: the path's MTU, the interfaces', and in words what stopped the search. */
    private static void mtu(StringBuilder out, PathMtu m) {
        line(out, "path_mtu", m.pathMtu() + " bytes", "(" + m.family() + " packet: " + (m.pathMtu() - m.headerBytes()) + " bytes of UDP payload + "
                + m.headerBytes() + " of headers, crossed both ways unfragmented)");
        line(out, "interface_mtu", "local " + mtuOrUnknown(m.localInterfaceMtu()) + ", remote " + mtuOrUnknown(m.remoteInterfaceMtu()), "");
        String limit = switch (m.limit()) {
            case "interface" -> "the interfaces allow no more: the path carries what they do";
            case "icmp" -> "larger packets were refused with ICMP \"too big\" (path MTU discovery works)";
            default -> "BLACK HOLE: the interfaces allow " + Math.min(positive(m.localInterfaceMtu()), positive(m.remoteInterfaceMtu()))
                    + " bytes, but packets of " + m.blackHole() + " bytes and more vanish with no ICMP \"too big\" back: TCP and UDP "
                    + "of that size stall there";
        };
        line(out, "limit", m.limit(), "(" + limit + ")");
        line(out, "probes", m.probes() + " (" + m.lostProbes() + " lost)", m.agentDontFragment() ? ""
                : "(the agent could not set Don't Fragment: its larger answers may have been fragmented)");
        if (m.tcpPmtu() > 0) {
            line(out, "tcp", "snd_mss " + m.tcpSndMss() + ", pmtu " + m.tcpPmtu(), m.tcpAbovePath()
                    ? "(TCP_INFO of a connection to the agent: its full-sized segments are larger than the path carries: they stall)"
                    : "(TCP_INFO of a connection to the agent: its segments fit the path)");
        }
    }

    private static String mtuOrUnknown(int mtu) {
        return mtu < 0 ? "unknown" : String.valueOf(mtu);
    }

    private static int positive(int mtu) {
        return mtu < 0 ? Integer.MAX_VALUE : mtu;
    }

    /** --under-load: the same round trips idle (the figures above) and loaded, side by side. */
    private static void underLoad(StringBuilder out, UnderLoad u) {
        line(out, "idle", percentiles(u.idle()), "(the figures above: just before the load, as long)");
        line(out, "loaded", percentiles(u.loaded()), "(" + u.loadedRoundTrips() + " round trips beside " + u.streams()
                + " tcp_bw stream" + (u.streams() > 1 ? "s" : "") + (u.direction().equals("both") ? " each way" : " " + u.direction()) + ")");
        line(out, "loaded/idle", "p50 x" + Units.fixed3(UnderLoad.ratio(u.loaded().p50(), u.idle().p50()))
                + ", p99 x" + Units.fixed3(UnderLoad.ratio(u.loaded().p99(), u.idle().p99()))
                + ", p99.9 x" + Units.fixed3(UnderLoad.ratio(u.loaded().p999(), u.idle().p999())), "");
        line(out, "rpm", Units.fixed3(u.rpm()) + " loaded, " + Units.fixed3(u.idleRpm()) + " idle",
                "(round trips per minute: 60 s / mean of the fastest 95 %, draft-ietf-ippm-responsiveness, foreign probes only)");
        Bandwidth.Bidir both = u.load().bidir();
        line(out, "load_bw", Units.bitsPerSecond(u.loadBitsPerSecond()), both == null ? "(the load's goodput)"
                : "(the load's goodput: up " + Units.bitsPerSecond(both.send().bitsPerSecond()) + ", down "
                + Units.bitsPerSecond(both.receive().bitsPerSecond()) + ")");
    }

    /** --repeat: what the samples of each headline figure say; the figures above are the median run's. */
    private static void samples(StringBuilder out, Samples s) {
        line(out, "samples", String.valueOf(s.count()), "(runs of this test; the figures above are the median run's)");
        s.values().keySet().forEach(figure -> {
            Summary m = s.summary(figure);
            Function<Double, String> f = v -> sampleValue(figure, v);
            line(out, figure, "median " + f.apply(m.median()) + ", min " + f.apply(m.min()) + ", max " + f.apply(m.max()),
                    "(mean " + f.apply(m.mean()) + ", 95 % CI of the mean " + f.apply(m.ci95Low()) + " to " + f.apply(m.ci95High())
                            + ", Student's t" + (m.n() < s.count() ? "; " + m.n() + " runs measured it" : "") + ")");
        });
        s.merged().forEach((name, figures) -> line(out, name.replace("_us", "") + " (all runs)", percentiles(figures),
                "(all " + s.count() + " runs' samples together, merged from their histograms)"));
    }

    private static String sampleValue(String figure, double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (figure.equals("bits_per_second")) {
            return Units.bitsPerSecond(v);
        }
        if (figure.endsWith("_per_second") || figure.equals("msg_rate")) {
            return Units.si(v, "/s");
        }
        String unit = figure.endsWith("_percent") ? " %" : figure.endsWith("_ms") ? " ms" : " us";
        return Units.fixed3(v) + unit;
    }

    /** One kernel UDP counter at both ends: "receiver N, sender N", n/a with the reason where it could not be read. */
    private static String kernel(Datagrams d, ToLongFunction<UdpErrors> counter) {
        return "receiver " + count(d.receiverKernel(), counter) + ", sender " + count(d.senderKernel(), counter);
    }

    private static String count(UdpErrors e, ToLongFunction<UdpErrors> counter) {
        return e.available() ? String.valueOf(counter.applyAsLong(e)) : "n/a (" + e.unavailable() + ")";
    }

    /** The stream numbers of one direction of a --bidir test, "1" or "1-4". */
    private static String streams(Bandwidth b) {
        int first = b.perStream().get(0).stream();
        int last = b.perStream().get(b.perStream().size() - 1).stream();
        return first == last ? String.valueOf(first) : first + "-" + last;
    }

    private static String streamRetransmits(Bandwidth.Stream st) {
        if (st.senderTcp() == null || st.senderTcp().figures() == null) {
            return "";
        }
        TcpFigures f = st.senderTcp().figures();
        return ", retransmits " + f.retransmits() + (f.dataSegsOut() < 0 ? "" : ", " + f.dataSegsOut() + " segments of " + TcpText.segmentPayload(f));
    }

    private static String percentiles(RttFigures s) {
        return String.format(Locale.ROOT, "p50 %s  p90 %s  p99 %s  p99.9 %s  max %s us", Units.fixed3(s.p50()),
                Units.fixed3(s.p90()), Units.fixed3(s.p99()), Units.fixed3(s.p999()), Units.fixed3(s.max()));
    }

    /** qperf's cost (host-wide), the same net of the host's baseline, and the process's own; or why each is missing. */
    private static void cost(StringBuilder out, String dir, String end, Cost c) {
        line(out, dir + "_cost", orMissing(c.host(), " s/GB", c.hostMissing()), "(" + end + "'s host, all CPUs, as qperf)");
        line(out, dir + "_cost_net", orMissing(c.hostNet(), " s/GB", c.netMissing()), "(less the host's baseline)");
        line(out, "process_" + dir + "_cost", orMissing(c.process(), " s/GB", c.processMissing()),
                "(" + end + "'s netbench process, JIT compilation left out)");
    }

    private static String orMissing(double v, String unit, String missing) {
        return Double.isNaN(v) && missing != null ? "n/a (" + missing + ")" : Units.fixed3(v) + unit;
    }

    private static void cpu(StringBuilder out, String prefix, CpuUsage c) {
        HostCpu h = c.host();
        line(out, prefix + "_cpus_used", orMissing(c.hostCpusUsed(), " % cpus", c.hostMissing()), h == null ? ""
                : String.format(Locale.ROOT, "(host-wide, as qperf: user %s, sys %s, softirq %s, irq %s, steal %s, iowait %s s%s)",
                        Units.fixed3(h.user()), Units.fixed3(h.system()), Units.fixed3(h.softirq()), Units.fixed3(h.irq()),
                        Units.fixed3(h.steal()), Units.fixed3(h.iowait()), c.softirqs() == null ? ""
                                : "; NET_RX " + c.softirqs().netRx() + ", NET_TX " + c.softirqs().netTx() + " softirqs"));
        line(out, prefix + "_cpus_used_net", orMissing(c.hostCpusUsedNet(), " % cpus", c.hostMissing() != null ? c.hostMissing() : c.baselineMissing()),
                c.baseline() == null ? "" : String.format(Locale.ROOT, "(less the baseline: %s %% cpus over the %s s before the test)",
                        Units.fixed3(c.baseline().cpusUsed()), Units.fixed3(c.baseline().wallSeconds())));
        ProcessCpu p = c.process();
        line(out, prefix + "_process_cpus_used", orMissing(c.processCpusUsed(), " % cpus", c.processMissing()), p == null ? ""
                : String.format(Locale.ROOT, "(process: user %s s, sys %s s; JIT compiler threads %s s, left out%s)",
                        Units.fixed3(p.user()), Units.fixed3(p.system()), Units.fixed3(c.compilerSeconds()),
                        c.compilerSignificant() ? ": SIGNIFICANT in this window" : ""));
    }

    static void line(StringBuilder out, String name, String value, String note) {
        out.append(String.format(Locale.ROOT, "    %-20s = %s%s%n", name, value, note.isEmpty() ? "" : "  " + note));
    }
}
