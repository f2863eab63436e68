package dev.netbench.cluster;

import dev.netbench.protocol.TestKind;
import dev.netbench.report.ScenarioTable;

import java.util.List;
import java.util.Map;

/**
 * A matrix column: one figure of one test, read from that test's result in the client's JSON document, in the
 * JSON's base units. Selecting a test selects its columns.
 */
public enum Metric {
    TCP_LAT(TestKind.TCP_LAT, "latency_us", "tcp_lat", "latency", "us", false),
    TCP_LAT_IDLE_P99(TestKind.TCP_LAT, "idle.rtt_us.p99", "tcp_lat_idle_p99", "rtt p99 idle", "us", false),
    TCP_LAT_LOADED_P99(TestKind.TCP_LAT, "loaded.rtt_us.p99", "tcp_lat_loaded_p99", "rtt p99 loaded", "us", false),
    UDP_LAT(TestKind.UDP_LAT, "latency_us", "udp_lat", "udp latency", "us", false),
    TCP_BW(TestKind.TCP_BW, "bits_per_second", "tcp_bw", "bandwidth", "bit/s", true),
    TCP_BW_SEND_COST(TestKind.TCP_BW, "send_cost_s_per_gb", "send_cost", "send_cost", "s/GB", false),
    TCP_BW_RECV_COST(TestKind.TCP_BW, "recv_cost_s_per_gb", "recv_cost", "recv_cost", "s/GB", false),
    TCP_BW_RETRANSMITS(TestKind.TCP_BW, "retransmits", "tcp_retransmits", "retransmits", "segments", false),
    UDP_BW(TestKind.UDP_BW, "bits_per_second", "udp_bw", "udp received", "bit/s", true),
    UDP_LOSS(TestKind.UDP_BW, "lost_percent", "udp_loss", "udp loss", "%", false),
    TCP_CRR(TestKind.TCP_CRR, "transactions_per_second", "tcp_crr", "tcp_crr", "1/s", true),
    MTU(TestKind.MTU, "path_mtu", "mtu", "path mtu", "bytes", true),
    HTTP(TestKind.HTTP, "requests_per_second", "http", "http", "1/s", true);

    private final TestKind test;
    private final String field;
    private final ScenarioTable.Column column;

    Metric(TestKind test, String field, String key, String label, String unit, boolean higherIsBetter) {
        this.test = test;
        this.field = field;
        this.column = new ScenarioTable.Column(key, label, unit, higherIsBetter);
    }

    public TestKind test() {
        return test;
    }

    public ScenarioTable.Column column() {
        return column;
    }

    /** The column that shows {@code test}'s figure {@code field} (its JSON name), or null if none does. */
    public static String column(String test, String field) {
        return java.util.Arrays.stream(values()).filter(m -> m.test.wireName().equals(test) && m.field.equals(field))
                .map(m -> m.column.key()).findFirst().orElse(null);
    }

    /** The columns of the selected tests, in this enum's order; the loaded ones (tcp_lat_loaded) with {@code underLoad}. */
    public static List<Metric> of(List<TestKind> tests, boolean underLoad) {
        return java.util.Arrays.stream(values()).filter(m -> tests.contains(m.test) && (underLoad || !m.loaded())).toList();
    }

    /** A figure of --under-load's, which only a run measured idle and loaded has. */
    private boolean loaded() {
        return field.startsWith("idle.") || field.startsWith("loaded.");
    }

    /** This figure from a client run's JSON document, or a failed cell saying why it is missing. */
    ScenarioTable.Cell read(Map<String, Object> doc) {
        Object results = doc.get("results");
        if (results instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> r && test.wireName().equals(r.get("test"))) {
                    Object v = r;
                    for (String key : field.split("\\.")) { // a dotted name reaches into nested objects
                        v = v instanceof Map<?, ?> m ? m.get(key) : null;
                    }
                    // a withheld figure (a cost both ends' shared CPU cannot split) carries its reason beside it
                    Object missing = r.get(field.replace("_s_per_gb", "_missing"));
                    return v instanceof Number n ? ScenarioTable.Cell.of(n.doubleValue())
                            : v == null && missing instanceof String why ? ScenarioTable.Cell.notApplicable(why)
                            : ScenarioTable.Cell.failed(test.wireName() + " result has no " + field);
                }
            }
        }
        return ScenarioTable.Cell.failed("no " + test.wireName() + " result");
    }
}
