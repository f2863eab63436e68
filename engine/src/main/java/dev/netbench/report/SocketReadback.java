package dev.netbench.report;

import dev.netbench.protocol.Fields;

/**
 * One end's tcp_bw data socket as read back from the kernel once the knobs were applied (docs/metrics.md, tcp_bw
 * socket options): TCP_NODELAY, SO_SNDBUF and SO_RCVBUF as granted (Linux doubles a request), TCP_CONGESTION,
 * IP_TOS and TCP_MAXSEG (on a connected socket the MSS in effect); and {@code zerocopy}, whether this end sends its
 * messages with sendfile(2) (-Z; a receiver sends none). A value that could not be read is null, and {@code missing}
 * says why (Java NIO cannot reach TCP_CONGESTION or TCP_MAXSEG; an agent older than the knobs sends none, one older
 * than -Z no {@code zerocopy}).
 */
public record SocketReadback(Boolean noDelay, Boolean zerocopy, Integer sndbuf, Integer rcvbuf, String congestion, Integer tos,
                             Integer mss, String missing) {

    /** Both ends of one stream, by role. */
    public record Ends(SocketReadback sender, SocketReadback receiver) {
    }

    public static SocketReadback none(String why) {
        return new SocketReadback(null, null, null, null, null, null, null, why);
    }

    /** As ACCEPT fields (prefixed {@code sock.} by the caller); what could not be read is left out. */
    public Fields toFields() {
        Fields.Builder b = Fields.builder();
        put(b, "nodelay", noDelay);
        put(b, "zerocopy", zerocopy);
        put(b, "sndbuf", sndbuf);
        put(b, "rcvbuf", rcvbuf);
        put(b, "congestion", congestion);
        put(b, "tos", tos);
        put(b, "mss", mss);
        put(b, "missing", missing);
        return b.build();
    }

    /** From ACCEPT fields; none at all (an older agent) is {@link #none}. */
    public static SocketReadback fromFields(Fields f) {
        if (f.asMap().isEmpty()) {
            return none("the agent did not read its socket back (older than this client)");
        }
        return new SocketReadback(flag(f, "nodelay"), flag(f, "zerocopy"), integer(f, "sndbuf"), integer(f, "rcvbuf"),
                f.get("congestion"), integer(f, "tos"), integer(f, "mss"), f.get("missing"));
    }

    private static Boolean flag(Fields f, String key) {
        return f.get(key) == null ? null : Boolean.parseBoolean(f.get(key));
    }

    private static Integer integer(Fields f, String key) {
        return f.get(key) == null ? null : Math.toIntExact(f.requireLong(key));
    }

    private static void put(Fields.Builder b, String key, Object value) {
        if (value != null) {
            b.put(key, value);
        }
    }
}
