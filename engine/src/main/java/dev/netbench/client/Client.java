package dev.netbench.client;

import dev.netbench.NetbenchException;
import dev.netbench.cpu.Affinity;
import dev.netbench.cpu.HostCpuHistory;
import dev.netbench.host.Identity;
import dev.netbench.host.Version;
import dev.netbench.http.HttpLoad;
import dev.netbench.http.HttpLoadSettings;
import dev.netbench.latency.IntervalLatency;
import dev.netbench.latency.RttFigures;
import dev.netbench.report.Bandwidth;
import dev.netbench.report.HttpFigures;
import dev.netbench.report.UnderLoad;
import dev.netbench.report.Partial;
import dev.netbench.protocol.FrameDecoder;
import dev.netbench.protocol.SocketKnobs;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;
import dev.netbench.report.RunReport;
import dev.netbench.report.TestResult;
import dev.netbench.report.Units;
import dev.netbench.session.Outcome;
import dev.netbench.tcp.Endpoints;
import dev.netbench.session.TestEndpoint;
import dev.netbench.session.TestStream;
import dev.netbench.socket.DataSocket;
import dev.netbench.socket.TcpInfoProbe;
import dev.netbench.socket.TcpInfoSample;
import dev.netbench.socket.SocketOptions;
import dev.netbench.tcp.TcpConnectRate;
import dev.netbench.udp.UdpAgent;
import dev.netbench.udp.UdpClientStream;
import dev.netbench.udp.UdpOutcome;
import dev.netbench.udp.UdpResults;
import dev.netbench.udp.UdpSpec;
import dev.netbench.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Consumer;

/** Runs the selected tests at every message size against one server and collects a {@link RunReport}. */
public final class Client {
    private static final long HANDSHAKE_TIMEOUT_SECONDS = 10;
    private static final Pattern NATIVE_ERROR = Pattern.compile("failed(?: with error\\(-?\\d+\\))?: ");
    /** How long past warm-up + duration the client waits for the server's RESULT. */
    private static final long RESULT_GRACE_SECONDS = 30;

    /** Each of the self-test's two calibration runs: short, since a floor is a mean of many round trips. */
    private static final Duration CALIBRATION_TIME = Duration.ofMillis(500);
    private static final Duration CALIBRATION_WARMUP = Duration.ofMillis(100);
    /** mtu's tcp_lat, long enough for its TCP_INFO: read once the connection is accepted. */
    private static final Duration TCP_VIEW_TIME = Duration.ofMillis(100);
    private final ClientSettings settings;
    private final RunListener listener;
    private final SelfTestServer.Starter selfTest;
    private final Identity self = Identity.local();
    private final Transport transport = Transport.best();

    private Client(ClientSettings settings, RunListener listener, SelfTestServer.Starter selfTest) {
        this.settings = settings;
        this.listener = listener;
        this.selfTest = selfTest;
    }

    /** Runs the whole plan against its host; {@code progress} gets one line per test started and per -i interval. */
    public static RunReport run(ClientSettings settings, Consumer<String> progress) throws InterruptedException {
        return run(settings, progress::accept, () -> {
            throw new IllegalArgumentException("no host, and no in-process server for a loopback self-test");
        });
    }

    /**
     * As {@link #run(ClientSettings, Consumer)}, telling {@code listener} each progress line, interval and result; with
     * no host, against the server {@code selfTest} starts.
     */
    public static RunReport run(ClientSettings settings, RunListener listener, SelfTestServer.Starter selfTest)
            throws InterruptedException {
        return new Client(settings, listener, selfTest).run();
    }

    private RunReport run() throws InterruptedException {
        HostCpuHistory.shared();
        SocketOptions.load();
        SelfTestServer loopback = settings.host() == null ? selfTest.start() : null;
        InetSocketAddress address = loopback != null ? loopback.address()
                : InetSocketAddress.createUnresolved(settings.host(), settings.port());
        String target = loopback != null ? "loopback self-test " + address.getAddress().getHostAddress() + ":" + address.getPort()
                : settings.http() != null && settings.http().url() != null ? settings.http().url().toString()
                : settings.host() + ":" + settings.port();
        int threads = Math.min(settings.parallel(), Runtime.getRuntime().availableProcessors());
        EventLoopGroup group = transport.newGroup(threads, "netbench-client");
        try {
            List<Integer> sizes = settings.sizes().isEmpty() ? Collections.singletonList(null) : settings.sizes();
            // each entry of the plan (test at size), the runs it has had; with --repeat N the whole plan runs N times
            // over, so that whatever drifts during the run falls on every entry alike
            List<List<TestResult>> runs = new ArrayList<>();
            Identity[] remote = new Identity[1];
            int repeat = settings.repeat();
            int total = sizes.size() * settings.tests().size() * repeat;
            RunReport.Settings echo = new RunReport.Settings(settings.time().toNanos() / 1e9, settings.warmup().toNanos() / 1e9,
                    settings.parallel(), settings.reverse(), transport.name(), settings.localCpu(), settings.remoteCpu(), repeat);
            try {
                int done = 0;
                for (int round = 1; round <= repeat; round++) {
                    int entry = 0;
                    for (Integer size : sizes) {
                        for (TestKind kind : settings.tests()) {
                            int msgSize = size != null ? size : kind.defaultMsgSize();
                            if (total > 1) {
                                listener.progress(String.format("[%d/%d] %s msg %s%s", done + 1, total, kind.wireName(),
                                        size == null && kind == TestKind.HTTP ? "of " + httpPath(null) : Units.msgSize(msgSize),
                                        repeat > 1 ? String.format(" (sample %d of %d)", round, repeat) : ""));
                            }
                            TestResult result = kind == TestKind.MTU
                                    ? withTcpView(measure(group, resolve(address), target, kind, msgSize, remote, null).result(),
                                            group, resolve(address), target)
                                    : kind.usesNetbenchProtocol()
                                    ? runTest(kind, load -> measure(group, resolve(address), target, kind, msgSize, remote, load))
                                    : runTest(kind, load -> runHttp(size, loopback, group, address, target, load));
                            if (round == 1) {
                                runs.add(new ArrayList<>());
                            }
                            runs.get(entry++).add(result);
                            done++;
                            if (repeat == 1) {
                                listener.result(result);
                            }
                        }
                    }
                }
            } catch (NetbenchException e) {
                // what finished is kept (an entry with the samples it had), and the failing test's own counts if it
                // had started: marked partial
                Partial partial = e instanceof TestFailed failed ? failed.partial : null;
                throw new RunFailedException(e, new RunReport(Version.get(), target, loopback != null, self, remote[0], echo,
                        runs.stream().map(TestResult::repeated).toList(), partial, e.getMessage()));
            }
            List<TestResult> results = runs.stream().map(TestResult::repeated).toList();
            if (repeat > 1) {
                results.forEach(listener::result);
            }
            RunReport report = new RunReport(Version.get(), target, loopback != null, self, remote[0], echo, results);
            return loopback != null ? report.withCalibration(calibrate(group, address, target)) : report;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            if (loopback != null) {
                loopback.close();
            }
        }
    }

    /**
     * The loopback self-test's calibration ({@link RunReport.Calibration}), after a tcp_lat that waited as an ordinary
     * application does (not --busy-poll) on no CPU in particular (no -T); null otherwise, or where this host cannot
     * pin a test's ends (one line on the progress stream says why).
     */
    private RunReport.Calibration calibrate(EventLoopGroup group, InetSocketAddress address, String target) throws InterruptedException {
        int[] cpus = Affinity.firstAllowed(2);
        if (!settings.tests().contains(TestKind.TCP_LAT) || settings.busyPoll() || settings.localCpu() >= 0
                || settings.remoteCpu() >= 0 || cpus.length == 0) {
            return null;
        }
        listener.progress("calibration: netbench's own tcp_lat on this host, on one CPU and across two");
        try {
            double same = floor(group, address, target, cpus[0], cpus[0]);
            double cross = cpus.length > 1 ? floor(group, address, target, cpus[0], cpus[1]) : Double.NaN;
            return new RunReport.Calibration(cpus[0], cpus.length > 1 ? cpus[1] : -1, same, cross);
        } catch (NetbenchException e) {
            listener.progress("calibration: not measured: " + e.getMessage());
            return null;
        }
    }

    /** tcp_lat's latency, 1-byte messages, the client's end on {@code local} and the agent's on {@code remote}. */
    private double floor(EventLoopGroup group, InetSocketAddress address, String target, int local, int remote)
            throws InterruptedException {
        ClientSettings pinned = new ClientSettings(null, 0, List.of(TestKind.TCP_LAT), List.of(), CALIBRATION_TIME,
                CALIBRATION_WARMUP, 1, false, Duration.ZERO, settings.connectTimeout(), null, 0, settings.token(),
                SocketKnobs.DEFAULT, false, false, local, remote);
        return new Client(pinned, line -> { }, selfTest).measure(group, address, target, TestKind.TCP_LAT, 1, new Identity[1], null)
                .result().latency().latencyUs();
    }

    /**
     * The http test: against the URL, or the agent's HTTP target (the in-process one in a self-test); with {@code load},
     * its tcp_bw streams to the agent at {@code agent} begin with the requests and share their window.
     */
    private Measured runHttp(Integer size, SelfTestServer loopback, EventLoopGroup group, InetSocketAddress agent, String target,
                             ClientSettings.Load load) throws InterruptedException {
        ClientSettings.HttpOptions h = settings.http();
        String host = h.url() != null ? h.url().getHost()
                : loopback != null ? loopback.httpAddress().getAddress().getHostAddress() : settings.host();
        int port = h.url() != null ? (h.url().getPort() > 0 ? h.url().getPort() : 80)
                : loopback != null ? loopback.httpAddress().getPort() : h.port();
        String path = httpPath(size);
        List<TestStream> loadStreams = load == null ? List.of() : openLoad(group, resolve(agent), target, load);
        try {
            awaitLoad(loadStreams, target, TestKind.HTTP);
            loadStreams.forEach(TestStream::begin);
            HttpFigures figures = HttpLoad.run(new HttpLoadSettings(host, port, path, h.requests(), h.concurrency(),
                    h.keepAlive(), h.timeLimit(), h.rate(), h.threads(), h.requestTimeout(), settings.connectTimeout(),
                    settings.warmup()));
            if (figures.complete() == 0) {
                HttpFigures.Failures f = figures.failures();
                throw new NetbenchException("no HTTP request to " + figures.url() + " completed (" + f.connect() + " connect, "
                        + f.receive() + " receive (" + f.timeouts() + " timed out), " + f.exceptions() + " other failures, "
                        + figures.inFlightAtEnd() + " in flight at the end)");
            }
            List<Object> outcomes = new ArrayList<>();
            for (TestStream stream : loadStreams) {
                outcomes.add(await(stream.done(), RESULT_GRACE_SECONDS, "no result from " + target + " within "
                        + RESULT_GRACE_SECONDS + " s", target, TestKind.TCP_BW));
            }
            return new Measured(TestResult.http(figures, size != null ? size : (int) figures.documentLength()),
                    load == null ? null : loadFigures(loadStreams, outcomes, load));
        } finally {
            loadStreams.forEach(TestStream::close);
        }
    }

    private String httpPath(Integer size) {
        URI url = settings.http().url();
        if (size != null) {
            return "/bytes/" + size;
        }
        if (url == null || url.getRawPath() == null || url.getRawPath().isEmpty()) {
            return "/";
        }
        return url.getRawPath() + (url.getRawQuery() != null ? "?" + url.getRawQuery() : "");
    }

    private static InetSocketAddress resolve(InetSocketAddress address) {
        if (!address.isUnresolved()) {
            return address;
        }
        InetSocketAddress resolved = new InetSocketAddress(address.getHostString(), address.getPort());
        if (resolved.isUnresolved()) {
            throw new NetbenchException("cannot resolve host '" + address.getHostString() + "'");
        }
        return resolved;
    }

    /** One run of a test, beside {@code load}'s streams (null: alone). */
    private interface Run {
        Measured run(ClientSettings.Load load) throws InterruptedException;
    }

    /** A test as the settings ask: once, or (--under-load) idle and then under load, the same test on the same path. */
    private TestResult runTest(TestKind kind, Run run) throws InterruptedException {
        ClientSettings.Load load = settings.load();
        if (load == null || !ClientSettings.LOADABLE.contains(kind)) {
            return run.run(null).result();
        }
        listener.progress(kind.wireName() + " idle");
        TestResult idle = run.run(null).result();
        listener.progress(kind.wireName() + " under load: " + load.streams() + " tcp_bw stream" + (load.streams() > 1 ? "s" : "")
                + (load.direction() == ClientSettings.Direction.BOTH ? " each way" : " " + load.direction().wireName()));
        Measured loaded = run.run(load);
        TestResult l = loaded.result();
        long roundTrips = l.latency() != null ? l.latency().roundTrips() : l.connectRate() != null ? l.connectRate().transactions()
                : l.http().complete();
        return idle.withUnderLoad(UnderLoad.of(load.streams(), load.direction().wireName(), roundTrips(idle), roundTrips(l),
                roundTrips, loaded.load()));
    }

    /**
     * A round-trip test's distribution: tcp_lat's and udp_lat's round trips, tcp_crr's transactions, http's requests
     * (their latency: total time, or from the scheduled start with --rate).
     */
    private static RttFigures roundTrips(TestResult r) {
        return r.latency() != null ? r.latency().rtt() : r.connectRate() != null ? r.connectRate().transaction()
                : r.http().distribution();
    }

    /**
     * mtu's result with TCP's view of the same path beside it: a short tcp_lat (1-byte messages, which no MTU stops),
     * its connection's TCP_INFO {@code snd_mss} and {@code pmtu} read at the client once it was accepted: the segment
     * size TCP would send there, and the path MTU the kernel knows for the agent (lowered by an ICMP "too big" that
     * came back, a probe's included; left at the interface's by a black hole).
     */
    private TestResult withTcpView(TestResult mtu, EventLoopGroup group, InetSocketAddress address, String target)
            throws InterruptedException {
        TestSpec spec = new TestSpec(TestKind.TCP_LAT, 1, TCP_VIEW_TIME.toNanos(), 0, false, 0, 1);
        TcpStream stream = (TcpStream) tcpStream(group, address, target, spec, null);
        try {
            accepted(stream, target, TestKind.TCP_LAT);
            Channel channel = stream.channel();
            TcpInfoSample info;
            try {
                info = channel.eventLoop().submit(() -> new TcpInfoProbe(channel).read()).get();
            } catch (ExecutionException e) {
                info = null;
            }
            stream.begin();
            await(stream.done(), RESULT_GRACE_SECONDS, "no result from " + target + " within " + RESULT_GRACE_SECONDS + " s",
                    target, TestKind.TCP_LAT);
            return TestResult.mtu(mtu.mtu().withTcp(info == null ? -1 : info.sndMss(), info == null ? -1 : info.pmtu()),
                    mtu.msgSize(), mtu.localCpu(), mtu.remoteCpu());
        } finally {
            stream.close();
        }
    }

    /** One test's result, and the figures of the load that ran beside it (null: none). */
    private record Measured(TestResult result, Bandwidth load) {
    }

    /** One run of a test; with {@code load}, that load's tcp_bw streams begin with the test's and share its window. */
    private Measured measure(EventLoopGroup group, InetSocketAddress address, String target, TestKind kind, int msgSize,
                             Identity[] remote, ClientSettings.Load load) throws InterruptedException {
        boolean udp = kind.carrier() == TestKind.Carrier.UDP;
        if (udp) {
            target = "udp://" + address.getAddress().getHostAddress() + ":" + address.getPort();
        }
        List<TestStream> streams = new ArrayList<>();
        List<TestStream> loadStreams = new ArrayList<>();
        long begun = 0;
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
                        pinnable(kind) ? settings.remoteCpu() : -1);
                streams.add(udp ? udpStream(group, address, target, spec, intervals) : tcpStream(group, address, target, spec, intervals));
            }
            for (TestStream stream : streams) {
                remote[0] = accepted(stream, target, kind);
            }
            // the load asks for its slots once the test has its own: an agent short of slots refuses the load
            if (load != null) {
                loadStreams.addAll(openLoad(group, address, target, load));
            }
            awaitLoad(loadStreams, target, kind);
            List<TestStream> all = new ArrayList<>(streams);
            all.addAll(loadStreams);
            all.forEach(TestStream::begin);
            begun = System.nanoTime();
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
                    : tcpResult(streams, own, bidir);
            return new Measured(Results.separated(result, self, remote[0]),
                    load == null ? null : loadFigures(loadStreams, outcomes.subList(streams.size(), outcomes.size()), load));
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
            streams.forEach(TestStream::close);
            loadStreams.forEach(TestStream::close);
        }
    }

    /** --under-load's bulk streams, tcp_bw at its defaults, each test's length and warm-up; not yet connected. */
    private List<TestStream> openLoad(EventLoopGroup group, InetSocketAddress address, String target, ClientSettings.Load load) {
        List<TestStream> streams = new ArrayList<>();
        for (int i = 0; i < load.connections(); i++) {
            streams.add(tcpStream(group, address, target, new TestSpec(TestKind.TCP_BW, TestKind.TCP_BW.defaultMsgSize(),
                    settings.time().toNanos(), settings.warmup().toNanos(), load.down(i), i, load.connections(),
                    SocketKnobs.DEFAULT, false, -1), null));
        }
        return streams;
    }

    /** The agent's identity once it accepted {@code stream}'s HELLO, within the handshake's bound. */
    private Identity accepted(TestStream stream, String target, TestKind kind) throws InterruptedException {
        return await(stream.accepted(), HANDSHAKE_TIMEOUT_SECONDS + settings.connectTimeout().toSeconds(),
                "no handshake answer from " + target + " within " + HANDSHAKE_TIMEOUT_SECONDS + " s", target, kind);
    }

    /** The load's streams accepted; a refusal (the agent's limits) is said to be the load's. */
    private void awaitLoad(List<TestStream> load, String target, TestKind beside) throws InterruptedException {
        for (TestStream stream : load) {
            try {
                accepted(stream, target, TestKind.TCP_BW);
            } catch (NetbenchException e) {
                throw new NetbenchException("--under-load: the load beside " + beside.wireName() + " could not start: " + e.getMessage(), e);
            }
        }
    }

    /** The load's goodput and figures over its window: both directions' streams apart and summed for {@code both}. */
    private static Bandwidth loadFigures(List<TestStream> streams, List<Object> outcomes, ClientSettings.Load load) {
        return tcpResult(streams, outcomes, load.direction() == ClientSettings.Direction.BOTH).bandwidth();
    }

    /** What a test's -i lines count: its own streams, and with a load beside it, what the load moved. */
    private static IntervalReporter.Sampler sampler(TestKind kind, boolean udp, List<TestStream> streams, List<TestStream> load,
                                                    IntervalLatency intervals) {
        IntervalReporter.Sampler own = udp && kind == TestKind.UDP_BW ? IntervalReporter.udpBandwidth(streams)
                : IntervalReporter.windows(kind, streams, intervals);
        return load.isEmpty() ? own : IntervalReporter.loaded(own, load);
    }

    private static TestResult tcpResult(List<TestStream> streams, List<Object> outcomes, boolean bidir) {
        return Results.of(streams.stream().map(s -> ((TcpStream) s).endpoint()).toList(),
                outcomes.stream().map(Outcome.class::cast).toList(),
                streams.stream().map(s -> ((TcpStream) s).sockets()).toList(), bidir);
    }

    /** A test that failed after its traffic had started, with what the client counted until then. */
    private static final class TestFailed extends NetbenchException {
        private final transient Partial partial;

        TestFailed(NetbenchException cause, Partial partial) {
            super(cause.getMessage(), cause.getCause());
            this.partial = partial;
        }
    }

    private TestStream tcpStream(EventLoopGroup group, InetSocketAddress address, String target, TestSpec spec, IntervalLatency intervals) {
        // tcp_bw's data sockets take the test's knobs (Nagle on unless -N); every other test's keep TCP_NODELAY on
        boolean knobs = spec.kind() == TestKind.TCP_BW;
        TcpStream.Sockets sockets = new TcpStream.Sockets();
        ClientHandshake handshake = new ClientHandshake(spec.toFields(self.toFields()), spec.kind().wireName(), settings.token(), false,
                target, accept -> {
                    if (knobs) { // on the event loop, connected: both ends' sockets as the kernels hold them now
                        sockets.read(accept.withPrefix("sock."), spec);
                    }
                    TestSpec local = spec.onCpu(pinnable(spec.kind()) ? settings.localCpu() : -1);
                    return timed(Endpoints.create(local, TestEndpoint.Side.CLIENT), intervals);
                });
        ChannelFuture connect = new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, Transport.recvAllocator())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (knobs) {
                            sockets.channel = ch;
                            try {
                                // before connect: TCP_MAXSEG goes into the SYN, the buffers pick its window scale
                                DataSocket.applyBeforeConnect(ch, spec);
                            } catch (SocketOptions.Failed e) {
                                handshake.accepted().completeExceptionally(new NetbenchException("tcp_bw socket options: " + e.getMessage()));
                                ch.close();
                                return;
                            }
                        }
                        ch.pipeline().addLast("frames", new FrameDecoder()).addLast("handshake", handshake);
                    }
                })
                .connect(address);
        return new TcpStream(connect, handshake, target, sockets);
    }

    /** The tests whose ends -T pins: those that run on threads of their own. */
    private static boolean pinnable(TestKind kind) {
        return kind == TestKind.TCP_LAT || kind == TestKind.TCP_BW;
    }

    /** With -i, a latency test's endpoint also records into the test's interval histogram. */
    private static TestEndpoint timed(TestEndpoint endpoint, IntervalLatency intervals) {
        if (intervals != null && endpoint instanceof IntervalLatency.Timed timed) {
            timed.recordIntervals(intervals);
        }
        return endpoint;
    }

    /** A UDP stream: its own connected socket, so every datagram of it shares one 5-tuple. */
    private TestStream udpStream(EventLoopGroup group, InetSocketAddress address, String target, TestSpec spec, IntervalLatency intervals) {
        UdpClientStream stream = new UdpClientStream(new UdpSpec(spec, settings.bitsPerSecond(), settings.interval().toNanos(), settings.udpOffload()),
                self, target, settings.connectTimeout().toNanos(), settings.token(), intervals);
        ChannelFuture connect = UdpAgent.datagramOptions(new Bootstrap().group(group).channel(transport.datagramChannel()))
                .handler(stream)
                .connect(address);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                stream.accepted().completeExceptionally(new NetbenchException("cannot reach " + target + ": " + reason(f.cause())));
            }
        });
        return stream;
    }

    private static <T> T await(CompletableFuture<T> future, long seconds, String timeoutMessage,
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
            throw new NetbenchException(kind.wireName() + " with " + target + " failed: " + reason(e.getCause()), e.getCause());
        }
    }

    /** The root cause's message, without exception class names where the message says enough. */
    public static String reason(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null) {
            return root.getClass().getSimpleName();
        }
        // Netty's native errors read "finishConnect(..) failed: Connection refused" or "... failed with
        // error(-111): Connection refused"; keep the OS's words
        Matcher m = NATIVE_ERROR.matcher(message);
        return m.find() ? message.substring(m.end()) : message;
    }
}
