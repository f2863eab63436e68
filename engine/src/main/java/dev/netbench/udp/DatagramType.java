package dev.netbench.udp;

/** Types of netbench UDP datagrams; the codes are part of the wire protocol (docs/protocol.md). */
enum DatagramType {
    /** client → server: the test; repeated with the server's cookie to prove the client's address. */
    HELLO(1),
    /** server → client: the cookie to echo; never larger than the HELLO it answers. */
    COOKIE(2),
    /** server → client: the test will run; its session id and the server's identity. */
    ACCEPT(3),
    /** server → client: the test will not run, and why. */
    REJECT(4),
    /** client → server: start sending (reverse udp_bw), repeated until data arrives. */
    START(5),
    /** sender → receiver: one datagram of a udp_bw stream. */
    DATA(6),
    /** client → server: one udp_lat request; the server echoes it as PONG, byte for byte. */
    PING(7),
    PONG(8),
    /** sender → receiver: the sender's measured window is over; carries its figures. Repeated until answered. */
    END(9),
    /** server → client: the server's figures, in answer to every END. */
    RESULT(10),
    /** client → server: the client has both ends' figures; the server may forget the test. */
    FIN(11),
    /** client → server: the client is still there (reverse udp_bw): without it the server stops sending. */
    KEEPALIVE(12),
    /** server → client: the receiver's running counts, once per -i interval. */
    REPORT(13),
    /** server → client: the test stops before its end, and why. */
    ABORT(14);

    private static final DatagramType[] BY_CODE = new DatagramType[15];

    static {
        for (DatagramType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    final int code;

    DatagramType(int code) {
        this.code = code;
    }

    static DatagramType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
