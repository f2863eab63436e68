package dev.netbench.protocol;

import java.util.Arrays;
import java.util.Optional;

/** The tests netbench runs; {@link #wireName()} is qperf's name, used in the protocol, JSON and text output. */
public enum TestKind {
    TCP_BW("tcp_bw", 128 * 1024),
    TCP_LAT("tcp_lat", 1);

    private final String wireName;
    private final int defaultMsgSize;

    TestKind(String wireName, int defaultMsgSize) {
        this.wireName = wireName;
        this.defaultMsgSize = defaultMsgSize;
    }

    public String wireName() {
        return wireName;
    }

    /** Message size used when the user gives no --msg: 128 KiB for bandwidth (iperf3's), 1 byte for latency (qperf's). */
    public int defaultMsgSize() {
        return defaultMsgSize;
    }

    public static Optional<TestKind> of(String wireName) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(wireName)).findFirst();
    }
}
