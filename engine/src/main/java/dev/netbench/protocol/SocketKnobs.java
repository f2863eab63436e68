package dev.netbench.protocol;

import java.util.regex.Pattern;

/**
 * iperf3's socket knobs as a tcp_bw test asks for them, for the data sockets at both ends (docs/protocol.md, HELLO):
 * {@code noDelay} TCP_NODELAY (-N; off: Nagle on, as qperf and iperf3 stream), {@code window} SO_SNDBUF and
 * SO_RCVBUF in bytes (-w; 0: the kernel's default and autotuning), {@code mss} TCP_MAXSEG in bytes (-M; 0: none),
 * {@code congestion} TCP_CONGESTION (-C; null: the host's default), {@code tos} IP_TOS (-S; -1: none), {@code zerocopy}
 * (-Z) the sending end sends each message with sendfile(2) from a file of zeros instead of write(2).
 */
public record SocketKnobs(boolean noDelay, int window, int mss, String congestion, int tos, boolean zerocopy) {
    /** A new client's tcp_bw without knobs: Nagle on, everything else the kernel's. */
    public static final SocketKnobs DEFAULT = new SocketKnobs(false, 0, 0, null, -1, false);
    /** A HELLO without {@code sock.nodelay} (a client older than the knobs): TCP_NODELAY on, as every stream had then. */
    public static final SocketKnobs LEGACY = new SocketKnobs(true, 0, 0, null, -1, false);
    public static final int MAX_WINDOW = 1 << 30;
    private static final Pattern ALGORITHM = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    public SocketKnobs {
        if (window < 0 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("window must be 1 byte to 1 GiB, not " + window);
        }
        if (mss < 0 || mss > 65535) {
            throw new IllegalArgumentException("MSS must be 1..65535 bytes, not " + mss);
        }
        if (tos < -1 || tos > 255) {
            throw new IllegalArgumentException("TOS must be 0..255 (0xff), not " + tos);
        }
        if (congestion != null && !ALGORITHM.matcher(congestion).matches()) {
            throw new IllegalArgumentException("'" + congestion + "' is not a congestion control name (1 to 15 letters, digits, _ . -)");
        }
    }

    /** Whether anything but the defaults is asked for. */
    public boolean any() {
        return !equals(DEFAULT);
    }

    /**
     * As HELLO fields ({@code sock.} prefixed by the caller); a knob not asked for is left out, TCP_NODELAY always there.
     * An agent older than a knob ignores its field: a client that needs the agent to apply one checks its ACCEPT.
     */
    public Fields toFields() {
        Fields.Builder b = Fields.builder().put("nodelay", noDelay);
        if (window > 0) {
            b.put("window", window);
        }
        if (mss > 0) {
            b.put("mss", mss);
        }
        if (congestion != null) {
            b.put("congestion", congestion);
        }
        if (tos >= 0) {
            b.put("tos", tos);
        }
        if (zerocopy) {
            b.put("zerocopy", true);
        }
        return b.build();
    }

    /** From the HELLO's {@code sock.} fields; none at all is {@link #LEGACY}. */
    public static SocketKnobs fromFields(Fields f) {
        String noDelay = f.get("nodelay");
        if (noDelay == null) {
            return LEGACY;
        }
        String zerocopy = f.get("zerocopy");
        try {
            return new SocketKnobs(flag("nodelay", noDelay),
                    f.get("window") == null ? 0 : Math.toIntExact(f.requireLong("window")),
                    f.get("mss") == null ? 0 : Math.toIntExact(f.requireLong("mss")),
                    f.get("congestion"),
                    f.get("tos") == null ? -1 : Math.toIntExact(f.requireLong("tos")),
                    zerocopy != null && flag("zerocopy", zerocopy));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ProtocolException("sock.*: " + e.getMessage());
        }
    }

    private static boolean flag(String key, String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new ProtocolException("field 'sock." + key + "' must be true or false");
        }
        return value.equals("true");
    }
}
