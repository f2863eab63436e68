package dev.netbench.protocol;


import java.util.concurrent.TimeUnit;

/**
 * What a client asks the server for in its HELLO: one connection's part of one test.
 * {@code stream} of {@code streams} numbers the connection among a parallel (-P) test's connections; tcp_crr has
 * one control connection (stream 0) and {@code streams} transaction loops beside it. {@code cpu}: the CPU the
 * agent's end of a tcp_lat or tcp_bw runs on (-T; -1: wherever the scheduler puts it).
 */
public record TestSpec(TestKind kind, int msgSize, long durationNanos, long warmupNanos, boolean reverse,
                       int stream, int streams, SocketKnobs sockets, boolean busyPoll, int cpu) {

    public static final long MAX_DURATION_NANOS = TimeUnit.HOURS.toNanos(24);
    public static final int MAX_STREAMS = 1024;
    /** CPUs are numbered below this (glibc's CPU_SETSIZE). */
    public static final int MAX_CPUS = 1024;

    /** Without socket knobs: {@link SocketKnobs#DEFAULT} (only tcp_bw has knobs; the other tests keep TCP_NODELAY on). */
    public TestSpec(TestKind kind, int msgSize, long durationNanos, long warmupNanos, boolean reverse, int stream, int streams) {
        this(kind, msgSize, durationNanos, warmupNanos, reverse, stream, streams, SocketKnobs.DEFAULT, false, -1);
    }

    /** Without busy-poll: both ends wait for the peer as an ordinary application does. */
    public TestSpec(TestKind kind, int msgSize, long durationNanos, long warmupNanos, boolean reverse, int stream, int streams,
                    SocketKnobs sockets) {
        this(kind, msgSize, durationNanos, warmupNanos, reverse, stream, streams, sockets, false, -1);
    }

    /** On no CPU in particular. */
    public TestSpec(TestKind kind, int msgSize, long durationNanos, long warmupNanos, boolean reverse, int stream, int streams,
                    SocketKnobs sockets, boolean busyPoll) {
        this(kind, msgSize, durationNanos, warmupNanos, reverse, stream, streams, sockets, busyPoll, -1);
    }

    public TestSpec {
        if (sockets == null) {
            sockets = SocketKnobs.DEFAULT;
        }
        if (sockets.any() && kind != TestKind.TCP_BW && !sockets.equals(SocketKnobs.LEGACY)) {
            throw new IllegalArgumentException("socket options (-N, -w, -M, -C, -S, -Z) apply to tcp_bw only, not " + kind.wireName());
        }
        String badSize = kind.checkMsgSize(msgSize);
        if (badSize != null) {
            throw new IllegalArgumentException(badSize);
        }
        if (durationNanos <= 0 || durationNanos > MAX_DURATION_NANOS) {
            throw new IllegalArgumentException("duration must be above 0 and at most 24 h");
        }
        if (warmupNanos < 0 || warmupNanos > MAX_DURATION_NANOS) {
            throw new IllegalArgumentException("warm-up must be 0 to 24 h");
        }
        if (streams < 1 || streams > MAX_STREAMS || stream < 0 || stream >= streams) {
            throw new IllegalArgumentException("stream " + stream + " of " + streams + " is not valid (1.." + MAX_STREAMS + " streams)");
        }
        if (!kind.usesNetbenchProtocol()) {
            throw new IllegalArgumentException(kind.wireName() + " does not run over the netbench protocol");
        }
        if (busyPoll && kind != TestKind.TCP_LAT && kind != TestKind.UDP_LAT) {
            throw new IllegalArgumentException("busy-poll applies to tcp_lat and udp_lat only, not " + kind.wireName());
        }
        if (cpu < -1 || cpu >= MAX_CPUS) {
            throw new IllegalArgumentException("CPU " + cpu + " is not 0.." + (MAX_CPUS - 1));
        }
        if (cpu >= 0 && kind != TestKind.TCP_LAT && kind != TestKind.TCP_BW) {
            throw new IllegalArgumentException("CPU affinity (-T) applies to tcp_lat and tcp_bw only, not " + kind.wireName());
        }
        if (reverse && kind != TestKind.TCP_BW && kind != TestKind.UDP_BW) {
            throw new IllegalArgumentException(kind.wireName() + " has no reverse direction");
        }
    }

    /** The same, its end on {@code cpu} (-1: on none in particular). */
    public TestSpec onCpu(int cpu) {
        return new TestSpec(kind, msgSize, durationNanos, warmupNanos, reverse, stream, streams, sockets, busyPoll, cpu);
    }

    /** The HELLO body, with the client's identity (its own fields) under "client.". */
    public Fields toFields(Fields client) {
        return Fields.builder()
                .put("test", kind.wireName())
                .put("msg_size", msgSize)
                .put("duration_ns", durationNanos)
                .put("warmup_ns", warmupNanos)
                .put("reverse", reverse)
                .put("stream", stream)
                .put("streams", streams)
                .putAll(kind == TestKind.TCP_BW ? sockets.toFields() : Fields.EMPTY, "sock.")
                .putAll(busyPoll ? Fields.builder().put("busy_poll", true).build() : Fields.EMPTY, "")
                .putAll(cpu >= 0 ? Fields.builder().put("cpu", cpu).build() : Fields.EMPTY, "")
                .putAll(client, "client.")
                .build();
    }

    /** Parses a HELLO body; anything unknown or out of range is a ProtocolException whose message becomes the REJECT reason. */
    public static TestSpec fromFields(Fields f) {
        String test = f.require("test");
        TestKind kind = TestKind.of(test).orElseThrow(() -> new ProtocolException("unknown test '" + test + "'"));
        String reverse = f.require("reverse");
        if (!reverse.equals("true") && !reverse.equals("false")) {
            throw new ProtocolException("field 'reverse' must be true or false");
        }
        String busyPoll = f.get("busy_poll");
        if (busyPoll != null && !busyPoll.equals("true") && !busyPoll.equals("false")) {
            throw new ProtocolException("field 'busy_poll' must be true or false");
        }
        try {
            return new TestSpec(kind, Math.toIntExact(f.requireLong("msg_size")), f.requireLong("duration_ns"),
                    f.requireLong("warmup_ns"), Boolean.parseBoolean(reverse),
                    Math.toIntExact(f.requireLong("stream")), Math.toIntExact(f.requireLong("streams")),
                    // other tests' sock.* fields, if any, are ignored: their sockets keep TCP_NODELAY on
                    kind == TestKind.TCP_BW ? SocketKnobs.fromFields(f.withPrefix("sock.")) : SocketKnobs.DEFAULT,
                    Boolean.parseBoolean(busyPoll), f.get("cpu") == null ? -1 : Math.toIntExact(f.requireLong("cpu")));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ProtocolException(e.getMessage());
        }
    }
}
