package dev.netbench.cluster;

import dev.netbench.auth.Token;
import dev.netbench.client.ClientSettings;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.SocketKnobs;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What an orchestrator asks an agent to run against another agent: the tests, message sizes, durations and
 * streams of an ordinary client run, and tcp_bw's socket knobs ({@code sockets}: -N -w -M -C -S -Z). Bounded on
 * arrival, so a token holder still cannot make an agent send for long or allocate much: at most {@value #MAX_SECONDS} s per test, {@value #MAX_TOTAL_SECONDS} s in all,
 * {@value #MAX_MSG} bytes per message, {@value #MAX_STREAMS} streams, {@value #MAX_CONCURRENCY} HTTP connections.
 */
public record RemoteRequest(String host, int port, int httpPort, List<TestKind> tests, List<Integer> sizes,
                            long durationNanos, long warmupNanos, int parallel, int concurrency, long bitsPerSecond,
                            SocketKnobs sockets, boolean underLoad) {
    public static final int MAX_SECONDS = 60;
    public static final int MAX_TOTAL_SECONDS = 600;
    public static final int MAX_MSG = 1 << 20;
    public static final int MAX_STREAMS = 16;
    public static final int MAX_CONCURRENCY = 1024;
    public static final long MAX_BITS_PER_SECOND = 100_000_000_000L;

    /** Each round-trip test measured idle only. */
    public RemoteRequest(String host, int port, int httpPort, List<TestKind> tests, List<Integer> sizes, long durationNanos,
                         long warmupNanos, int parallel, int concurrency, long bitsPerSecond, SocketKnobs sockets) {
        this(host, port, httpPort, tests, sizes, durationNanos, warmupNanos, parallel, concurrency, bitsPerSecond, sockets, false);
    }

    public RemoteRequest {
        tests = List.copyOf(tests);
        sizes = List.copyOf(sizes);
        if (host == null || host.isBlank() || host.length() > 253) {
            throw new IllegalArgumentException("remote test: no target host");
        }
        if (port < 1 || port > 65535 || httpPort < 1 || httpPort > 65535) {
            throw new IllegalArgumentException("remote test: target port outside 1..65535");
        }
        if (tests.isEmpty() || tests.size() > TestKind.values().length) {
            throw new IllegalArgumentException("remote test: no test selected");
        }
        if (sizes.size() > 32 || sizes.stream().anyMatch(s -> s < 1 || s > MAX_MSG)) {
            throw new IllegalArgumentException("remote test: message sizes must be 1.." + MAX_MSG + ", at most 32 of them");
        }
        if (durationNanos <= 0 || durationNanos > TimeUnit.SECONDS.toNanos(MAX_SECONDS)
                || warmupNanos < 0 || warmupNanos > TimeUnit.SECONDS.toNanos(MAX_SECONDS)) {
            throw new IllegalArgumentException("remote test: duration and warm-up must be at most " + MAX_SECONDS + " s");
        }
        if (underLoad && tests.stream().noneMatch(ClientSettings.LOADABLE::contains)) {
            throw new IllegalArgumentException("remote test: under load, and no round-trip test selected");
        }
        if (plannedNanos(tests, sizes, durationNanos, warmupNanos, underLoad) > TimeUnit.SECONDS.toNanos(MAX_TOTAL_SECONDS)) {
            throw new IllegalArgumentException("remote test: the plan would run longer than " + MAX_TOTAL_SECONDS + " s");
        }
        if (parallel < 1 || parallel > MAX_STREAMS || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("remote test: streams must be 1.." + MAX_STREAMS + " and HTTP concurrency 1.."
                    + MAX_CONCURRENCY);
        }
        if (bitsPerSecond < 0 || bitsPerSecond > MAX_BITS_PER_SECOND) {
            throw new IllegalArgumentException("remote test: UDP bit rate above 100 Gbit/s");
        }
        if (sockets == null) {
            sockets = SocketKnobs.DEFAULT;
        }
        if (sockets.any() && !tests.contains(TestKind.TCP_BW)) {
            throw new IllegalArgumentException("remote test: -N, -w, -M, -C, -S and -Z set tcp_bw's sockets, and tcp_bw is not selected");
        }
    }

    /** How long the whole plan runs, without set-up: every test at every size, warm-up included. */
    public long plannedNanos() {
        return plannedNanos(tests, sizes, durationNanos, warmupNanos, underLoad);
    }

    /** Under load, each round-trip test runs twice: idle, then loaded. */
    private static long plannedNanos(List<TestKind> tests, List<Integer> sizes, long durationNanos, long warmupNanos,
                                     boolean underLoad) {
        long runs = tests.size() + (underLoad ? tests.stream().filter(ClientSettings.LOADABLE::contains).count() : 0);
        return runs * Math.max(1, sizes.size()) * (durationNanos + warmupNanos);
    }

    /**
     * The request as the agent's own limits see it: one test slot, for its longest test (warm-up included), holding
     * a buffer of its largest message, as a sender does, and with -Z the file of zeros it sends from beside it.
     */
    TestSpec standIn() {
        int largest = sizes.isEmpty() ? tests.stream().mapToInt(TestKind::defaultMsgSize).max().orElse(1)
                : sizes.stream().mapToInt(Integer::intValue).max().orElse(1);
        return new TestSpec(TestKind.TCP_BW, Math.max(1, largest), durationNanos, warmupNanos, true, 0, 1,
                new SocketKnobs(false, 0, 0, null, -1, sockets.zerocopy()));
    }

    Fields toFields() {
        return Fields.builder()
                .put("op", RemoteRunner.OP)
                .put("run.host", host)
                .put("run.port", port)
                .put("run.http_port", httpPort)
                .put("run.tests", tests.stream().map(TestKind::wireName).collect(Collectors.joining(",")))
                .put("run.msg", sizes.stream().map(String::valueOf).collect(Collectors.joining(",")))
                .put("run.duration_ns", durationNanos)
                .put("run.warmup_ns", warmupNanos)
                .put("run.parallel", parallel)
                .put("run.concurrency", concurrency)
                .put("run.bits_per_second", bitsPerSecond)
                .putAll(sockets.toFields(), "run.sock.")
                .put("run.under_load", underLoad)
                .build();
    }

    static RemoteRequest fromFields(Fields f) {
        try {
            List<TestKind> tests = new ArrayList<>();
            for (String name : f.require("run.tests").split(",")) {
                tests.add(TestKind.of(name).orElseThrow(() -> new IllegalArgumentException("unknown test '" + name + "'")));
            }
            String msg = f.require("run.msg");
            // an orchestrator older than the knobs sends no run.sock.*: the defaults, Nagle on
            Fields sock = f.withPrefix("run.sock.");
            List<Integer> sizes = msg.isEmpty() ? List.of()
                    : Arrays.stream(msg.split(",")).map(Integer::parseInt).toList();
            return new RemoteRequest(f.require("run.host"), Math.toIntExact(f.requireLong("run.port")),
                    Math.toIntExact(f.requireLong("run.http_port")), tests, sizes, f.requireLong("run.duration_ns"),
                    f.requireLong("run.warmup_ns"), Math.toIntExact(f.requireLong("run.parallel")),
                    Math.toIntExact(f.requireLong("run.concurrency")), f.requireLong("run.bits_per_second"),
                    sock.asMap().isEmpty() ? SocketKnobs.DEFAULT : SocketKnobs.fromFields(sock),
                    // an orchestrator older than --under-load sends none: idle only
                    "true".equals(f.get("run.under_load")));
        } catch (ProtocolException | IllegalArgumentException | ArithmeticException e) {
            throw new ProtocolException(e.getMessage());
        }
    }

    /** The same run as an ordinary client run, talking to the target with {@code token}. */
    ClientSettings toClientSettings(Token token, Duration connectTimeout) {
        Duration time = Duration.ofNanos(durationNanos);
        ClientSettings.HttpOptions http = tests.contains(TestKind.HTTP)
                ? new ClientSettings.HttpOptions(null, httpPort, 0, concurrency, true, time, 0, 0, Duration.ofSeconds(30))
                : null;
        return new ClientSettings(host, port, tests, sizes, time, Duration.ofNanos(warmupNanos), parallel, false,
                Duration.ZERO, connectTimeout, http, bitsPerSecond, token, sockets, false, false, -1, -1, 1,
                underLoad ? new ClientSettings.Load(1, ClientSettings.Direction.BOTH) : null);
    }
}
