package dev.netbench.client;

import dev.netbench.auth.Token;
import dev.netbench.cpu.Affinity;
import dev.netbench.http.HttpLoadSettings;
import dev.netbench.protocol.SocketKnobs;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;
import dev.netbench.udp.UdpSpec;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A client run. {@code host} null means a loopback self-test against an in-process server. {@code sizes}
 * empty means each test at its own default message size. {@code interval} zero means no progress lines.
 * {@code http} is set when the http test is selected. {@code bitsPerSecond} paces each udp_bw stream (0: unpaced).
 * {@code token} (null: none) answers an agent's challenge. {@code sockets}: tcp_bw's socket knobs (-N, -w, -M, -C, -S, -Z).
 * {@code bidir}: tcp_bw both ways at once (--bidir), -P streams each way. {@code busyPoll}: tcp_lat and udp_lat with both ends
 * spinning on read(2) instead of sleeping in it (--busy-poll). {@code localCpu}, {@code remoteCpu}: the CPUs the
 * client's and the agent's ends of tcp_lat and tcp_bw run on (-T, netperf's; -1: wherever the scheduler puts them).
 * {@code repeat}: how many times each test (at each size) is measured, the whole plan over and over (--repeat).
 * {@code load}: each round-trip test measured idle and then under that load (--under-load); null: idle only.
 * {@code udpOffload}: udp_bw's ends may use UDP GSO and GRO where the kernel has them (off: --no-gsro).
 */
public record ClientSettings(String host, int port, List<TestKind> tests, List<Integer> sizes, Duration time,
                             Duration warmup, int parallel, boolean reverse, Duration interval, Duration connectTimeout,
                             HttpOptions http, long bitsPerSecond, Token token, SocketKnobs sockets, boolean bidir,
                             boolean busyPoll, int localCpu, int remoteCpu, int repeat, Load load, boolean udpOffload) {

    /** The most --repeat takes: every sample is a whole test run, warm-up included. */
    public static final int MAX_REPEAT = 1000;

    /** The round-trip tests' round trips, measured idle and under load, as --under-load does. */
    public static final List<TestKind> LOADABLE = List.of(TestKind.TCP_LAT, TestKind.UDP_LAT, TestKind.TCP_CRR, TestKind.HTTP);

    /**
     * --under-load's load: {@code streams} bulk tcp_bw connections per direction, at tcp_bw's default message size
     * with tcp_bw's default socket options, between the same two ends as the round-trip test.
     */
    public record Load(int streams, Direction direction) {
        /** Bulk connections per direction, at most: each is a test connection the agent counts against its limits. */
        public static final int MAX_STREAMS = 16;

        public Load {
            if (streams < 1 || streams > MAX_STREAMS) {
                throw new IllegalArgumentException("--load-streams must be 1.." + MAX_STREAMS);
            }
        }

        /** The load's connections, up (client sends) first, then down (the agent sends, as -R). */
        public int connections() {
            return direction == Direction.BOTH ? 2 * streams : streams;
        }

        /** Whether connection {@code i} of {@link #connections()} carries data from the agent to the client. */
        public boolean down(int i) {
            return direction == Direction.DOWN || direction == Direction.BOTH && i >= streams;
        }
    }

    /** Which way the load's data flows: up from the client to the agent, down from the agent, or both at once. */
    public enum Direction {
        UP, DOWN, BOTH;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** udp_bw with GSO and GRO where the kernel has them. */
    public ClientSettings(String host, int port, List<TestKind> tests, List<Integer> sizes, Duration time, Duration warmup,
                          int parallel, boolean reverse, Duration interval, Duration connectTimeout, HttpOptions http,
                          long bitsPerSecond, Token token, SocketKnobs sockets, boolean bidir, boolean busyPoll,
                          int localCpu, int remoteCpu, int repeat, Load load) {
        this(host, port, tests, sizes, time, warmup, parallel, reverse, interval, connectTimeout, http, bitsPerSecond, token,
                sockets, bidir, busyPoll, localCpu, remoteCpu, repeat, load, true);
    }

    /** Measured idle only. */
    public ClientSettings(String host, int port, List<TestKind> tests, List<Integer> sizes, Duration time, Duration warmup,
                          int parallel, boolean reverse, Duration interval, Duration connectTimeout, HttpOptions http,
                          long bitsPerSecond, Token token, SocketKnobs sockets, boolean bidir, boolean busyPoll,
                          int localCpu, int remoteCpu, int repeat) {
        this(host, port, tests, sizes, time, warmup, parallel, reverse, interval, connectTimeout, http, bitsPerSecond, token,
                sockets, bidir, busyPoll, localCpu, remoteCpu, repeat, null);
    }

    /** Each test measured once. */
    public ClientSettings(String host, int port, List<TestKind> tests, List<Integer> sizes, Duration time, Duration warmup,
                          int parallel, boolean reverse, Duration interval, Duration connectTimeout, HttpOptions http,
                          long bitsPerSecond, Token token, SocketKnobs sockets, boolean bidir, boolean busyPoll,
                          int localCpu, int remoteCpu) {
        this(host, port, tests, sizes, time, warmup, parallel, reverse, interval, connectTimeout, http, bitsPerSecond, token,
                sockets, bidir, busyPoll, localCpu, remoteCpu, 1);
    }

    /** A run whose ends run wherever the scheduler puts them. */
    public ClientSettings(String host, int port, List<TestKind> tests, List<Integer> sizes, Duration time, Duration warmup,
                          int parallel, boolean reverse, Duration interval, Duration connectTimeout, HttpOptions http,
                          long bitsPerSecond, Token token, SocketKnobs sockets, boolean bidir, boolean busyPoll) {
        this(host, port, tests, sizes, time, warmup, parallel, reverse, interval, connectTimeout, http, bitsPerSecond, token,
                sockets, bidir, busyPoll, -1, -1);
    }

    /** A run whose tcp_lat, if any, waits as an ordinary application does. */
    public ClientSettings(String host, int port, List<TestKind> tests, List<Integer> sizes, Duration time, Duration warmup,
                          int parallel, boolean reverse, Duration interval, Duration connectTimeout, HttpOptions http,
                          long bitsPerSecond, Token token, SocketKnobs sockets, boolean bidir) {
        this(host, port, tests, sizes, time, warmup, parallel, reverse, interval, connectTimeout, http, bitsPerSecond, token,
                sockets, bidir, false);
    }

    /** A run with tcp_bw one way. */
    public ClientSettings(String host, int port, List<TestKind> tests, List<Integer> sizes, Duration time, Duration warmup,
                          int parallel, boolean reverse, Duration interval, Duration connectTimeout, HttpOptions http,
                          long bitsPerSecond, Token token, SocketKnobs sockets) {
        this(host, port, tests, sizes, time, warmup, parallel, reverse, interval, connectTimeout, http, bitsPerSecond, token,
                sockets, false);
    }

    /** A run without socket knobs. */
    public ClientSettings(String host, int port, List<TestKind> tests, List<Integer> sizes, Duration time, Duration warmup,
                          int parallel, boolean reverse, Duration interval, Duration connectTimeout, HttpOptions http,
                          long bitsPerSecond, Token token) {
        this(host, port, tests, sizes, time, warmup, parallel, reverse, interval, connectTimeout, http, bitsPerSecond, token,
                SocketKnobs.DEFAULT);
    }

    /** A run without a token. */
    public ClientSettings(String host, int port, List<TestKind> tests, List<Integer> sizes, Duration time, Duration warmup,
                          int parallel, boolean reverse, Duration interval, Duration connectTimeout, HttpOptions http,
                          long bitsPerSecond) {
        this(host, port, tests, sizes, time, warmup, parallel, reverse, interval, connectTimeout, http, bitsPerSecond, null);
    }

    /**
     * The http test's knobs (ab's -n, -c, -k, --rate, plus --threads). {@code url} null means the agent's HTTP
     * target at {@code port} on the client's HOST; with a --msg sweep the path becomes /bytes/N.
     */
    public record HttpOptions(URI url, int port, long requests, int concurrency, boolean keepAlive, Duration timeLimit,
                              double rate, int threads, Duration requestTimeout) {
        public HttpOptions {
            HttpLoadSettings.validate(requests, concurrency, timeLimit, rate);
        }
    }

    public ClientSettings {
        tests = List.copyOf(tests);
        sizes = List.copyOf(sizes);
        if (tests.isEmpty()) {
            throw new IllegalArgumentException("no test selected");
        }
        if (tests.contains(TestKind.HTTP) != (http != null)) {
            throw new IllegalArgumentException("http options go with the http test");
        }
        if (tests.contains(TestKind.MTU) && !sizes.isEmpty()) {
            throw new IllegalArgumentException("--mtu chooses its own probe sizes: --msg does not apply to it");
        }
        for (TestKind kind : tests) {
            for (int size : sizes) {
                String bad = kind == TestKind.HTTP ? null : kind.checkMsgSize(size);
                if (bad != null) {
                    throw new IllegalArgumentException(bad);
                }
            }
        }
        if (tests.contains(TestKind.UDP_BW)) {
            // the UDP knobs' own checks (bit rate, -i at least 0.1 s), before any test runs
            new UdpSpec(new TestSpec(TestKind.UDP_BW, TestKind.UDP_BW.defaultMsgSize(), time.toNanos(), warmup.toNanos(),
                    reverse, 0, 1), bitsPerSecond, interval.toNanos());
        }
        if (sockets == null) {
            sockets = SocketKnobs.DEFAULT;
        }
        if (sockets.any() && !tests.contains(TestKind.TCP_BW)) {
            throw new IllegalArgumentException("-N, -w, -M, -C, -S and -Z set tcp_bw's sockets: use them with --tcp-bw");
        }
        if (parallel < 1 || parallel > TestSpec.MAX_STREAMS / (bidir ? 2 : 1)) {
            throw new IllegalArgumentException("parallel streams must be 1.." + TestSpec.MAX_STREAMS / (bidir ? 2 : 1)
                    + (bidir ? " with --bidir (as many again run the other way)" : ""));
        }
        if (bidir && !tests.contains(TestKind.TCP_BW)) {
            throw new IllegalArgumentException("--bidir runs tcp_bw both ways at once: use it with --tcp-bw");
        }
        if (!udpOffload && !tests.contains(TestKind.UDP_BW)) {
            throw new IllegalArgumentException("--no-gsro sets udp_bw's sockets: use it with --udp-bw");
        }
        if (busyPoll && !tests.contains(TestKind.TCP_LAT) && !tests.contains(TestKind.UDP_LAT)) {
            throw new IllegalArgumentException("--busy-poll spins tcp_lat's and udp_lat's ends: use it with --tcp-lat or --udp-lat");
        }
        if ((localCpu >= 0 || remoteCpu >= 0) && !tests.contains(TestKind.TCP_LAT) && !tests.contains(TestKind.TCP_BW)) {
            throw new IllegalArgumentException("-T pins the ends of tcp_lat and tcp_bw: use it with --tcp-lat or --tcp-bw");
        }
        if (localCpu >= 0 && Affinity.problem(localCpu) != null) {
            throw new IllegalArgumentException("-T: " + Affinity.problem(localCpu));
        }
        if (localCpu < -1 || remoteCpu < -1 || remoteCpu >= TestSpec.MAX_CPUS) {
            throw new IllegalArgumentException("-T: CPUs are numbered 0.." + (TestSpec.MAX_CPUS - 1));
        }
        if (repeat < 1 || repeat > MAX_REPEAT) {
            throw new IllegalArgumentException("--repeat must be 1.." + MAX_REPEAT);
        }
        if (load != null && tests.stream().noneMatch(LOADABLE::contains)) {
            throw new IllegalArgumentException("--under-load loads the round-trip tests: use it with --tcp-lat, --udp-lat, --tcp-crr or --http");
        }
        if (load != null && http != null && http.url() != null) {
            throw new IllegalArgumentException("--under-load runs its load between netbench's ends: with --http, name the agent as HOST, not a URL");
        }
        if (load != null && http != null && http.timeLimit().isZero()) {
            throw new IllegalArgumentException("--under-load measures http for -t beside a load as long: give -t, not -n alone");
        }
        if (bidir && reverse) {
            throw new IllegalArgumentException("--bidir and -R/--reverse exclude each other: --bidir runs both directions");
        }
    }
}
