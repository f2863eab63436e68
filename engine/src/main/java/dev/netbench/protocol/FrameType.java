package dev.netbench.protocol;

/**
 * Frame types; the numeric codes are part of the wire protocol and never change meaning. Code 0 is no frame: a
 * zero byte where a frame could start begins a message (tcp_bw, tcp_lat). Code 7 was version 1's DATA frame and
 * is not used again.
 */
public enum FrameType {
    /** client → server: test kind and parameters. */
    HELLO(1),
    /** server → client: the test will run; carries the server's identity. */
    ACCEPT(2),
    /** server → client: the test will not run; carries the reason. The server closes after it. */
    REJECT(3),
    /** sender → receiver: warm-up is over, the measured window starts here. */
    MARK(4),
    /** sender → receiver: the measured window ends here; no DATA follows. */
    END(5),
    /** server → client: the server's end-of-test figures. */
    RESULT(6),
    /** server → client: the test stops before its end (the agent is shutting down); carries the reason. */
    ABORT(8),
    /** tcp_crr, client → server and back: a transaction's request or response, alone on its connection; payload only. */
    TXN(9),
    /** server → client: prove the token; carries the server's fresh nonce ({@code auth.snonce}). */
    CHALLENGE(10),
    /** client → server: the answer to CHALLENGE ({@code auth.proof}, an HMAC over both nonces). */
    PROOF(11);

    private static final FrameType[] BY_CODE = new FrameType[12];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this code, or null for an unknown code. */
    public static FrameType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
