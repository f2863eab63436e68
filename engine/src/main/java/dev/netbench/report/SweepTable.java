package dev.netbench.report;

import dev.netbench.protocol.TestKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The text output of a sweep: one row per message size, each test's figures in columns named after the test. */
final class SweepTable {
    private SweepTable() {
    }

    /** A column of the sweep table: its header, its unit and its value in one test's result. */
    private record Column(String name, String unit, Function<TestResult, String> value) {
    }

    /** The sweep table's columns for one test kind, the kind's headline figure first, named after the kind. */
    private static List<Column> columns(TestKind kind) {
        List<Column> c = new ArrayList<>();
        switch (kind) {
            case TCP_BW, UDP_BW -> {
                c.add(new Column(kind.wireName(), "bit/s", r -> Units.si(r.bandwidth().bitsPerSecond(), "")));
                c.add(new Column("msg_rate", "/s", r -> Units.si(r.bandwidth().msgRate(), "")));
                c.add(new Column("send_cost", "s/GB", r -> Units.fixed3(r.bandwidth().sendCost().host())));
                c.add(new Column("recv_cost", "s/GB", r -> Units.fixed3(r.bandwidth().recvCost().host())));
                c.add(new Column("process_send_cost", "s/GB", r -> Units.fixed3(r.bandwidth().sendCost().process())));
                c.add(new Column("process_recv_cost", "s/GB", r -> Units.fixed3(r.bandwidth().recvCost().process())));
                if (kind == TestKind.TCP_BW) {
                    c.add(new Column("retr", "", r -> retransmits(r.bandwidth())));
                    c.add(new Column("segs", "", r -> segments(r.bandwidth())));
                    c.add(new Column("seg_payload", "B", r -> segmentPayload(r.bandwidth())));
                }
                if (kind == TestKind.UDP_BW) {
                    c.add(new Column("send_bw", "bit/s", r -> Units.si(r.bandwidth().datagrams().sendBitsPerSecond(), "")));
                    c.add(new Column("lost", "%", r -> Units.fixed3(r.bandwidth().datagrams().lostPercent())));
                    c.add(new Column("jitter", "ms", r -> Units.fixed3(r.bandwidth().datagrams().jitterMs())));
                }
            }
            case TCP_LAT, UDP_LAT -> {
                c.add(new Column(kind == TestKind.TCP_LAT ? "latency" : kind.wireName(), "us", r -> Units.fixed3(r.latency().latencyUs())));
                c.add(new Column("rtt_p50", "us", r -> Units.fixed3(r.latency().rtt().p50())));
                c.add(new Column("rtt_p99", "us", r -> Units.fixed3(r.latency().rtt().p99())));
                c.add(new Column("rtt_p99.9", "us", r -> Units.fixed3(r.latency().rtt().p999())));
                c.add(new Column("lat_msg_rate", "/s", r -> Units.si(r.latency().msgRate(), "")));
                if (kind == TestKind.UDP_LAT) {
                    c.add(new Column("lost", "", r -> String.valueOf(r.latency().lost())));
                }
            }
            case TCP_CRR -> {
                c.add(new Column("tcp_crr", "/s", r -> Units.si(r.connectRate().transactionsPerSecond(), "")));
                c.add(new Column("crr_connect_p50", "us", r -> Units.fixed3(r.connectRate().connect().p50())));
                c.add(new Column("crr_p50", "us", r -> Units.fixed3(r.connectRate().transaction().p50())));
                c.add(new Column("crr_p99", "us", r -> Units.fixed3(r.connectRate().transaction().p99())));
                c.add(new Column("crr_failed", "", r -> String.valueOf(r.connectRate().failed())));
            }
            case HTTP -> {
                c.add(new Column("http", "req/s", r -> Units.si(r.http().requestsPerSecond(), "")));
                c.add(new Column("http_p50", "us", r -> Units.fixed3(r.http().latency().percentiles().get(50.0))));
                c.add(new Column("http_p99", "us", r -> Units.fixed3(r.http().latency().percentiles().get(99.0))));
                c.add(new Column("http_failed", "", r -> String.valueOf(r.http().failed())));
            }
        }
        return c;
    }

    /** One row per message size; columns by the tests that ran, in the order they ran. */
    static void format(StringBuilder out, List<TestResult> results) {
        Map<Integer, Map<TestKind, TestResult>> bySize = new TreeMap<>();
        for (TestResult r : results) {
            bySize.computeIfAbsent(r.msgSize(), k -> new LinkedHashMap<>()).put(r.test(), r);
        }
        List<TestKind> kinds = results.stream().map(TestResult::test).distinct().toList();
        List<String> header = new ArrayList<>(List.of("msg_size"));
        List<String> units = new ArrayList<>(List.of(""));
        for (TestKind kind : kinds) {
            for (Column c : columns(kind)) {
                header.add(c.name());
                units.add(c.unit());
            }
        }
        List<List<String>> rows = new ArrayList<>(List.of(header, units));
        bySize.forEach((size, byKind) -> {
            List<String> row = new ArrayList<>(List.of(Units.msgSize(size)));
            for (TestKind kind : kinds) {
                TestResult r = byKind.get(kind);
                for (Column c : columns(kind)) {
                    row.add(r == null ? "-" : c.value().apply(r));
                }
            }
            rows.add(row);
        });
        int[] widths = new int[header.size()];
        rows.forEach(row -> {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        });
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(String.format(Locale.ROOT, i == 0 ? "%-" + widths[i] + "s" : "  %" + widths[i] + "s", row.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    /** Sweep cells: the data segments and their mean payload, or n/a where TCP_INFO was not read. */
    private static String segments(Bandwidth b) {
        TcpFigures f = b.senderTcp() == null ? null : b.senderTcp().figures();
        return f == null || f.dataSegsOut() < 0 ? "n/a" : String.valueOf(f.dataSegsOut());
    }

    private static String segmentPayload(Bandwidth b) {
        TcpFigures f = b.senderTcp() == null ? null : b.senderTcp().figures();
        return f == null ? "n/a" : Double.isNaN(f.bytesPerSegment()) ? "n/a" : String.valueOf(Math.round(f.bytesPerSegment()));
    }

    /** A sweep cell: the retransmits, or n/a where TCP_INFO was not read. */
    private static String retransmits(Bandwidth b) {
        return b.senderTcp() == null || b.senderTcp().figures() == null ? "n/a" : String.valueOf(b.senderTcp().figures().retransmits());
    }
}
