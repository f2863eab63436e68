package dev.netbench.protocol;

import java.util.Arrays;
import java.util.Optional;

/** The tests netbench runs; {@link #wireName()} is qperf's name, used in the protocol, JSON and text output. */
public enum TestKind {
    TCP_BW("tcp_bw", Carrier.TCP, 128 * 1024),
    TCP_LAT("tcp_lat", Carrier.TCP, 1),
    /** netperf's TCP_CRR: connect, request, response, close, on a new connection per transaction. */
    TCP_CRR("tcp_crr", Carrier.TCP, 1),
    /** Datagrams of msg_size bytes of UDP payload; 1400 fits a 1450-byte overlay MTU (VXLAN) unfragmented. */
    UDP_BW("udp_bw", Carrier.UDP, 1400),
    /** The smallest datagram netbench can time: its own header. */
    UDP_LAT("udp_lat", Carrier.UDP, UdpLimits.HEADER),
    /**
     * The path's MTU: udp_lat's echo with Don't Fragment at both ends, probing datagram sizes up to the interfaces'
     * limit; its message size is that of its first probe, netbench's header.
     */
    MTU("mtu", Carrier.UDP, UdpLimits.HEADER),
    /** HTTP/1.1 load against the agent's HTTP target or any server; its message size is the response body's. */
    HTTP("http", Carrier.HTTP, 0);

    /** How a test reaches the agent: the netbench protocol over TCP or over UDP (both on the agent's port), or HTTP. */
    public enum Carrier { TCP, UDP, HTTP }

    /** UDP payload bounds: every datagram carries netbench's header, and IPv4 UDP carries at most 65507 bytes. */
    public static final class UdpLimits {
        public static final int HEADER = 20;
        public static final int MAX_PAYLOAD = 65507;

        private UdpLimits() {
        }
    }

    private final String wireName;
    private final Carrier carrier;
    private final int defaultMsgSize;

    TestKind(String wireName, Carrier carrier, int defaultMsgSize) {
        this.wireName = wireName;
        this.carrier = carrier;
        this.defaultMsgSize = defaultMsgSize;
    }

    public String wireName() {
        return wireName;
    }

    public Carrier carrier() {
        return carrier;
    }

    /**
     * Message size used when the user gives no --msg: 128 KiB for tcp_bw (iperf3's), 1 byte for tcp_lat (qperf's)
     * and for tcp_crr's request and response (netperf's), 1400 bytes for udp_bw, 20 for udp_lat; 0 for http, which
     * then requests the URL's own path.
     */
    public int defaultMsgSize() {
        return defaultMsgSize;
    }

    /** A test that times each round trip (tcp_crr: each transaction), whose -i intervals carry a histogram of them. */
    public boolean isLatency() {
        return this == TCP_LAT || this == UDP_LAT || this == TCP_CRR;
    }

    /** True for the tests that run over the netbench protocol (HELLO, MARK, END, RESULT), on TCP or UDP. */
    public boolean usesNetbenchProtocol() {
        return carrier != Carrier.HTTP;
    }

    /**
     * Null when {@code size} bytes is a valid message size for this test, else why not. UDP tests count the whole
     * UDP payload, netbench's 20-byte header (sequence number, send time) included, as iperf3 -l does.
     */
    public String checkMsgSize(long size) {
        if (carrier == Carrier.UDP && size < UdpLimits.HEADER) {
            return wireName + " message size " + size + " is below its minimum of " + UdpLimits.HEADER
                    + " bytes (each datagram carries a sequence number and a send time)";
        }
        if (carrier == Carrier.UDP && size > UdpLimits.MAX_PAYLOAD) {
            return wireName + " message size " + size + " is above the UDP maximum of " + UdpLimits.MAX_PAYLOAD + " bytes";
        }
        if (size < 1 || size > Protocol.MAX_MESSAGE_SIZE) {
            return "message size " + size + " outside 1.." + Protocol.MAX_MESSAGE_SIZE + " bytes";
        }
        return null;
    }

    public static Optional<TestKind> of(String wireName) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(wireName)).findFirst();
    }
}
