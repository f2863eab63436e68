package dev.netbench.client;

import dev.netbench.NetbenchException;
import dev.netbench.cpu.HostCpuHistory;
import dev.netbench.host.Identity;
import dev.netbench.latency.IntervalLatency;
import dev.netbench.protocol.SocketKnobs;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;
import dev.netbench.report.Bandwidth;
import dev.netbench.report.Partial;
import dev.netbench.report.TestResult;
import dev.netbench.session.Outcome;
import dev.netbench.session.TestEndpoint;
import dev.netbench.session.TestStream;
import dev.netbench.tcp.TcpConnectRate;
import dev.netbench.udp.UdpOutcome;
import dev.netbench.udp.UdpResults;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of a test of netbench's own protocol against one agent: its streams, and a load's beside them, opened and
 * accepted, begun together so their windows coincide, awaited, and joined into one result (or, if it failed once its
 * traffic had begun, into what the client counted until then).
 */
final class TestRun {
    static final long HANDSHAKE_TIMEOUT_SECONDS = 10;
    /** How long past warm-up + duration the client waits for the server's RESULT. */
    static final long RESULT_GRACE_SECONDS = 30;
    private final ClientSettings settings;
    private final Identity self;
    private final RunListener listener;
    private final Streams open;

    TestRun(ClientSettings settings, Identity self, RunListener listener, Streams open) {
        this.settings = settings;
        this.self = self;
        this.listener = listener;
        this.open = open;
    }

    Streams open() {
        return open;
    }

    /** One test's result, and the figures of the load that ran beside it (null: none). */
    record Measured(TestResult result, Bandwidth load) {
    }

    /** One run of a test; with {@code load}, that load's tcp_bw streams begin with the test's and share its window. */
    Measured measure(InetSocketAddress address, String target, TestKind kind, int msgSize, Identity[] remote,
                     ClientSettings.Load load) throws InterruptedException {
        boolean udp = kind.carrier() == TestKind.Carrier.UDP;
        if (udp) {
            target = "udp://" + address.getAddress().getHostAddress() + ":" + address.getPort();
        }
        List<TestStream> streams = new ArrayList<>();
        List<TestStream> loadStreams = new ArrayList<>();
        long begun = 0;
        CommonWindow common = null;
        long warmupNanos = settings.warmup().toNanos();
        // --bidir: tcp_bw's -P streams that send, and as many beside them that receive (as -R), all at once
        boolean bidir = settings.bidir() && kind == TestKind.TCP_BW;
        // tcp_crr's -P transaction loops open connections of their own, beside its one control connection
        // mtu probes the path once: -P has nothing to add
        int streamCount = kind == TestKind.TCP_CRR || kind == TestKind.MTU ? 1 : bidir ? 2 * settings.parallel() : settings.parallel();
        // -R reverses the bandwidth tests; the other tests of the same run have no direction to reverse
        boolean reverse = settings.reverse() && (kind == TestKind.TCP_BW || kind == TestKind.UDP_BW);
        // the latency tests' -i lines: every stream's round trips (tcp_crr's transactions) in one interval histogram
        IntervalLatency intervals = settings.interval().isZero() ? null : new IntervalLatency();
        try {
            // the host's CPU baseline, at both ends, is the stretch just before the handshake: keep it free of our traffic
            TimeUnit.NANOSECONDS.sleep(HostCpuHistory.BASELINE_NANOS);
            // all streams at once, then all tests started together: the streams' windows coincide
            for (int i = 0; i < streamCount; i++) {
                TestSpec spec = new TestSpec(kind, msgSize, settings.time().toNanos(), warmupNanos,
                        bidir ? i >= settings.parallel() : reverse, i, bidir ? streamCount : settings.parallel(),
                        kind == TestKind.TCP_BW ? settings.sockets() : SocketKnobs.DEFAULT,
                        (kind == TestKind.TCP_LAT || kind == TestKind.UDP_LAT) && settings.busyPoll(),
                        Streams.pinnable(kind) ? settings.remoteCpu() : -1);
                streams.add(udp ? open.udp(address, target, spec, intervals) : open.tcp(address, target, spec, intervals));
            }
            for (TestStream stream : streams) {
                remote[0] = accepted(stream, target, kind);
            }
            // the load asks for its slots once the test has its own: an agent short of slots refuses the load
            if (load != null) {
                loadStreams.addAll(openLoad(address, target, load));
            }
            awaitLoad(loadStreams, target, kind);
            List<TestStream> all = new ArrayList<>(streams);
            all.addAll(loadStreams);
            all.forEach(TestStream::begin);
            begun = System.nanoTime();
            common = CommonWindow.start(kind == TestKind.TCP_BW ? streams : loadStreams, begun, settings.warmup(), settings.time());
            List<Object> outcomes = new ArrayList<>();
            long waitSeconds = TimeUnit.NANOSECONDS.toSeconds(warmupNanos + settings.time().toNanos()) + RESULT_GRACE_SECONDS;
            try (IntervalReporter ignored = settings.interval().isZero() ? null
                    : new IntervalReporter(settings.interval().toNanos(), warmupNanos, interval -> {
                        if (kind.isLatency()) {
                            listener.histogram(kind, msgSize, interval, intervals.last());
                        }
                        listener.interval(interval);
                    },
                            sampler(kind, udp, streams, loadStreams, intervals))) {
                for (TestStream stream : all) {
                    outcomes.add(await(stream.done(), waitSeconds,
                            "no result from " + target + " within " + waitSeconds + " s", target, kind));
                }
            }
            TestSpec first = new TestSpec(kind, msgSize, settings.time().toNanos(), warmupNanos, reverse, 0, settings.parallel());
            List<Object> own = outcomes.subList(0, streams.size());
            TestResult result = udp ? UdpResults.of(first, own.stream().map(UdpOutcome.class::cast).toList())
                    : tcpResult(streams, own, bidir, kind == TestKind.TCP_BW ? common.counts() : null);
            return new Measured(Results.separated(result, self, remote[0]), load == null ? null
                    : loadFigures(loadStreams, outcomes.subList(streams.size(), outcomes.size()), load, common.counts()));
        } catch (NetbenchException e) {
            if (begun == 0) {
                throw e; // refused, rejected or unanswered: no traffic ran
            }
            double seconds = (System.nanoTime() - begun) / 1e9;
            long bytes = streams.stream().mapToLong(s -> s.window().progressBytes()).sum();
            long messages = kind == TestKind.TCP_CRR
                    ? ((TcpConnectRate.Driver) ((TcpStream) streams.get(0)).endpoint()).transactionsSoFar()
                    : streams.stream().mapToLong(s -> s.window().progressMessages()).sum();
            throw new TestFailed(e, new Partial(kind, msgSize, settings.parallel(), reverse, e.getMessage(), seconds, bytes, messages));
        } finally {
            if (common != null) {
                common.close();
            }
            streams.forEach(TestStream::close);
            loadStreams.forEach(TestStream::close);
        }
    }

    /** --under-load's bulk streams, tcp_bw at its defaults, each test's length and warm-up; not yet connected. */
    List<TestStream> openLoad(InetSocketAddress address, String target, ClientSettings.Load load) {
        List<TestStream> streams = new ArrayList<>();
        for (int i = 0; i < load.connections(); i++) {
            streams.add(open.tcp(address, target, new TestSpec(TestKind.TCP_BW, TestKind.TCP_BW.defaultMsgSize(),
                    settings.time().toNanos(), settings.warmup().toNanos(), load.down(i), i, load.connections(),
                    SocketKnobs.DEFAULT, false, -1), null));
        }
        return streams;
    }

    /** The agent's identity once it accepted {@code stream}'s HELLO, within the handshake's bound. */
    Identity accepted(TestStream stream, String target, TestKind kind) throws InterruptedException {
        return await(stream.accepted(), HANDSHAKE_TIMEOUT_SECONDS + settings.connectTimeout().toSeconds(),
                "no handshake answer from " + target + " within " + HANDSHAKE_TIMEOUT_SECONDS + " s", target, kind);
    }

    /** The load's streams accepted; a refusal (the agent's limits) is said to be the load's. */
    void awaitLoad(List<TestStream> load, String target, TestKind beside) throws InterruptedException {
        for (TestStream stream : load) {
            try {
                accepted(stream, target, TestKind.TCP_BW);
            } catch (NetbenchException e) {
                throw new NetbenchException("--under-load: the load beside " + beside.wireName() + " could not start: " + e.getMessage(), e);
            }
        }
    }

    /** The load's goodput and figures over its window: both directions' streams apart and summed for {@code both}. */
    static Bandwidth loadFigures(List<TestStream> streams, List<Object> outcomes, ClientSettings.Load load,
                                 CommonWindow.Counts common) {
        return tcpResult(streams, outcomes, load.direction() == ClientSettings.Direction.BOTH, common).bandwidth();
    }

    /** What a test's -i lines count: its own streams, and with a load beside it, what the load moved. */
    private static IntervalReporter.Sampler sampler(TestKind kind, boolean udp, List<TestStream> streams, List<TestStream> load,
                                                    IntervalLatency intervals) {
        IntervalReporter.Sampler own = udp && kind == TestKind.UDP_BW ? IntervalReporter.udpBandwidth(streams)
                : IntervalReporter.windows(kind, streams, intervals);
        return load.isEmpty() ? own : IntervalReporter.loaded(own, load);
    }

    private static TestResult tcpResult(List<TestStream> streams, List<Object> outcomes, boolean bidir, CommonWindow.Counts common) {
        return Results.of(streams.stream().map(s -> ((TcpStream) s).endpoint()).toList(),
                outcomes.stream().map(Outcome.class::cast).toList(),
                streams.stream().map(s -> ((TcpStream) s).sockets()).toList(), bidir, common);
    }

    /** A test that failed after its traffic had started, with what the client counted until then. */
    static final class TestFailed extends NetbenchException {
        final transient Partial partial;

        TestFailed(NetbenchException cause, Partial partial) {
            super(cause.getMessage(), cause.getCause());
            this.partial = partial;
        }
    }

    static <T> T await(CompletableFuture<T> future, long seconds, String timeoutMessage,
                               String target, TestKind kind) throws InterruptedException {
        try {
            return future.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new NetbenchException(timeoutMessage);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NetbenchException ne) {
                throw ne;
            }
            if (e.getCause() instanceof TestEndpoint.Aborted aborted) {
                throw new NetbenchException(kind.wireName() + " with " + target + " aborted by the server: " + aborted.getMessage());
            }
            throw new NetbenchException(kind.wireName() + " with " + target + " failed: " + Client.reason(e.getCause()), e.getCause());
        }
    }
}
