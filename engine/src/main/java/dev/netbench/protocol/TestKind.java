package dev.netbench.protocol;

import java.util.Arrays;
import java.util.Optional;

/** The tests netbench runs; {@link #wireName()} is qperf's name, used in the protocol, JSON and text output. */
public enum TestKind {
    TCP_BW("tcp_bw", 128 * 1024),
    TCP_LAT("tcp_lat", 1),
    /** netperf's TCP_CRR: connect, request, response, close, on a new connection per transaction. */
    TCP_CRR("tcp_crr", 1),
    /** HTTP/1.1 load against the agent's HTTP target or any server; its message size is the response body's. */
    HTTP("http", 0);

    private final String wireName;
    private final int defaultMsgSize;

    TestKind(String wireName, int defaultMsgSize) {
        this.wireName = wireName;
        this.defaultMsgSize = defaultMsgSize;
    }

    public String wireName() {
        return wireName;
    }

    /**
     * Message size used when the user gives no --msg: 128 KiB for bandwidth (iperf3's), 1 byte for latency
     * (qperf's) and for tcp_crr's request and response (netperf's); 0 for http, which then requests the URL's own path.
     */
    public int defaultMsgSize() {
        return defaultMsgSize;
    }

    /** True for the tests that run over the netbench protocol port (HELLO, MARK, END, RESULT). */
    public boolean usesNetbenchProtocol() {
        return this != HTTP;
    }

    public static Optional<TestKind> of(String wireName) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(wireName)).findFirst();
    }
}
