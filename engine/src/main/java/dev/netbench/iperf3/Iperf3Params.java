package dev.netbench.iperf3;

import dev.netbench.json.JsonWriter;

import java.util.Map;

/**
 * A test's parameters as the iperf3 client sends them after PARAM_EXCHANGE (a JSON object): protocol, streams,
 * direction, duration, block size and rate. {@link #parse} checks every value against iperf3's own limits and
 * refuses what netbench does not implement, with the iperf3 error code whose message says so.
 */
public record Iperf3Params(boolean udp, int parallel, boolean reverse, boolean bidirectional, int seconds, int omitSeconds,
                           int blockSize, long bitsPerSecond, long bytesToSend, long blocksToSend, boolean udp64BitCounters,
                           int socketBuffer, boolean getServerOutput, String clientVersion) {
    /** iperf3's UDP rate when the client gives none (-b): 1 Mbit/s. */
    public static final long DEFAULT_UDP_BITS_PER_SECOND = 1024 * 1024;

    /** A parameter set netbench's server refuses, and the iperf3 error code whose message the client prints. */
    public static final class Refused extends RuntimeException {
        private final int code;

        Refused(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** The streams of the test: {@code parallel} in one direction, twice that with --bidir. */
    public int streamCount() {
        return bidirectional ? 2 * parallel : parallel;
    }

    /** Total test time the client may take: omit plus time (0 for a -n/-k test bounded by bytes or blocks). */
    public long maxSeconds() {
        return (long) omitSeconds + (seconds > 0 ? seconds : Iperf3.MAX_SECONDS);
    }

    public static Iperf3Params parse(Map<String, Object> m) {
        boolean tcp = flag(m, "tcp");
        boolean udp = flag(m, "udp");
        if (flag(m, "sctp")) {
            throw new Refused(Iperf3.ERR_NOT_IMPLEMENTED, "SCTP is not implemented");
        }
        if (m.containsKey("authtoken")) {
            throw new Refused(Iperf3.ERR_NOT_IMPLEMENTED, "iperf3 authentication is not implemented");
        }
        if (tcp == udp) {
            throw new Refused(Iperf3.ERR_RECV_PARAMS, "parameters name neither or both of tcp and udp");
        }
        int parallel = (int) range(m, "parallel", 1, 1, Iperf3.MAX_STREAMS, Iperf3.ERR_STREAMS);
        long time = range(m, "time", 10, 0, Iperf3.MAX_SECONDS, Iperf3.ERR_DURATION);
        long omit = range(m, "omit", 0, 0, 600, Iperf3.ERR_DURATION);
        long num = range(m, "num", 0, 0, Long.MAX_VALUE / 2, Iperf3.ERR_RECV_PARAMS);
        long blocks = range(m, "blockcount", 0, 0, Long.MAX_VALUE / 2, Iperf3.ERR_RECV_PARAMS);
        int len = udp ? (int) range(m, "len", 1460, Iperf3.MIN_UDP_BLOCK, Iperf3.MAX_UDP_BLOCK, Iperf3.ERR_UDP_BLOCK)
                : (int) range(m, "len", 128 * 1024, 1, Iperf3.MAX_TCP_BLOCK, Iperf3.ERR_BLOCK);
        long rate = range(m, "bandwidth", udp ? DEFAULT_UDP_BITS_PER_SECOND : 0, 0, Long.MAX_VALUE / 2, Iperf3.ERR_RECV_PARAMS);
        int window = (int) range(m, "window", 0, 0, 512 * 1024 * 1024, Iperf3.ERR_RECV_PARAMS);
        boolean reverse = flag(m, "reverse");
        boolean bidir = flag(m, "bidirectional");
        if (reverse && bidir) {
            throw new Refused(Iperf3.ERR_RECV_PARAMS, "reverse and bidirectional at once");
        }
        if (time == 0 && num == 0 && blocks == 0) {
            throw new Refused(Iperf3.ERR_DURATION, "no end condition: time, num and blockcount are all 0");
        }
        if ((num > 0 || blocks > 0) && (reverse || bidir)) {
            // the server would be the one to stop at the byte or block count: netbench's server only follows -t there
            throw new Refused(Iperf3.ERR_NOT_IMPLEMENTED, "-n/-k with -R or --bidir is not implemented");
        }
        String version = m.get("client_version") instanceof String s ? s : null;
        return new Iperf3Params(udp, parallel, reverse, bidir, (int) time, (int) omit, len, rate, num, blocks,
                flag(m, "udp_counters_64bit"), window, flag(m, "get_server_output"), version);
    }

    /** The parameters as an iperf3 3.12 client writes them (netbench as the client of an iperf3 server). */
    public String toJson() {
        JsonWriter w = new JsonWriter(false).beginObject(null);
        w.value(udp ? "udp" : "tcp", true)
                .value("omit", omitSeconds)
                .value("time", seconds)
                .value("num", bytesToSend)
                .value("blockcount", blocksToSend)
                .value("parallel", parallel);
        if (reverse) {
            w.value("reverse", true);
        }
        if (bidirectional) {
            w.value("bidirectional", true);
        }
        if (socketBuffer > 0) {
            w.value("window", socketBuffer);
        }
        w.value("len", blockSize);
        if (bitsPerSecond > 0) {
            w.value("bandwidth", bitsPerSecond);
        }
        w.value("pacing_timer", 1000)
                .value("client_version", clientVersion == null ? "3.12" : clientVersion);
        return w.endObject().toString();
    }

    private static boolean flag(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        throw new Refused(Iperf3.ERR_RECV_PARAMS, "parameter " + key + " is not a boolean");
    }

    private static long range(Map<String, Object> m, String key, long dflt, long min, long max, int code) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || Double.isInfinite(n.doubleValue())) {
            throw new Refused(Iperf3.ERR_RECV_PARAMS, "parameter " + key + " is not an integer");
        }
        double d = n.doubleValue();
        if (d < min || d > max) {
            throw new Refused(code, "parameter " + key + "=" + (long) d + " outside " + min + ".." + max);
        }
        return n.longValue();
    }
}
