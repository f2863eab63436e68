package dev.netbench.client;

import dev.netbench.NetbenchException;
import dev.netbench.cpu.Affinity;
import dev.netbench.cpu.HostCpuHistory;
import dev.netbench.host.Identity;
import dev.netbench.host.Version;
import dev.netbench.http.HttpLoad;
import dev.netbench.http.HttpLoadSettings;
import dev.netbench.latency.RttFigures;
import dev.netbench.report.HttpFigures;
import dev.netbench.report.UnderLoad;
import dev.netbench.report.Partial;
import dev.netbench.protocol.SocketKnobs;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;
import dev.netbench.report.RunReport;
import dev.netbench.report.TestResult;
import dev.netbench.report.Units;
import dev.netbench.session.TestStream;
import dev.netbench.socket.TcpInfoProbe;
import dev.netbench.socket.TcpInfoSample;
import dev.netbench.socket.SocketOptions;
import dev.netbench.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Consumer;

/** Runs the selected tests at every message size against one server and collects a {@link RunReport}. */
public final class Client {
    private static final Pattern NATIVE_ERROR = Pattern.compile("failed(?: with error\\(-?\\d+\\))?: ");

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
        TestRun tests = new TestRun(settings, self, listener, new Streams(settings, self, transport, group));
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
                                    ? withTcpView(tests.measure(resolve(address), target, kind, msgSize, remote, null).result(),
                                            tests, resolve(address), target)
                                    : kind.usesNetbenchProtocol()
                                    ? runTest(kind, load -> tests.measure(resolve(address), target, kind, msgSize, remote, load))
                                    : runTest(kind, load -> runHttp(size, loopback, tests, address, target, load));
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
                Partial partial = e instanceof TestRun.TestFailed failed ? failed.partial : null;
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
        return new TestRun(pinned, self, line -> { }, new Streams(pinned, self, transport, group))
                .measure(address, target, TestKind.TCP_LAT, 1, new Identity[1], null).result().latency().latencyUs();
    }

    /**
     * The http test: against the URL, or the agent's HTTP target (the in-process one in a self-test); with {@code load},
     * its tcp_bw streams to the agent at {@code agent} begin with the requests and share their window.
     */
    private TestRun.Measured runHttp(Integer size, SelfTestServer loopback, TestRun tests, InetSocketAddress agent, String target,
                             ClientSettings.Load load) throws InterruptedException {
        ClientSettings.HttpOptions h = settings.http();
        String host = h.url() != null ? h.url().getHost()
                : loopback != null ? loopback.httpAddress().getAddress().getHostAddress() : settings.host();
        int port = h.url() != null ? (h.url().getPort() > 0 ? h.url().getPort() : 80)
                : loopback != null ? loopback.httpAddress().getPort() : h.port();
        String path = httpPath(size);
        List<TestStream> loadStreams = load == null ? List.of() : tests.openLoad(resolve(agent), target, load);
        CommonWindow common = null;
        try {
            tests.awaitLoad(loadStreams, target, TestKind.HTTP);
            loadStreams.forEach(TestStream::begin);
            common = CommonWindow.start(loadStreams, System.nanoTime(), settings.warmup(), settings.time());
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
                outcomes.add(TestRun.await(stream.done(), TestRun.RESULT_GRACE_SECONDS, "no result from " + target + " within "
                        + TestRun.RESULT_GRACE_SECONDS + " s", target, TestKind.TCP_BW));
            }
            return new TestRun.Measured(TestResult.http(figures, size != null ? size : (int) figures.documentLength()),
                    load == null ? null : TestRun.loadFigures(loadStreams, outcomes, load, common.counts()));
        } finally {
            if (common != null) {
                common.close();
            }
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
        TestRun.Measured run(ClientSettings.Load load) throws InterruptedException;
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
        TestRun.Measured loaded = run.run(load);
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
    private TestResult withTcpView(TestResult mtu, TestRun tests, InetSocketAddress address, String target)
            throws InterruptedException {
        TestSpec spec = new TestSpec(TestKind.TCP_LAT, 1, TCP_VIEW_TIME.toNanos(), 0, false, 0, 1);
        TcpStream stream = tests.open().tcp(address, target, spec, null);
        try {
            tests.accepted(stream, target, TestKind.TCP_LAT);
            Channel channel = stream.channel();
            TcpInfoSample info;
            try {
                info = channel.eventLoop().submit(() -> new TcpInfoProbe(channel).read()).get();
            } catch (ExecutionException e) {
                info = null;
            }
            stream.begin();
            TestRun.await(stream.done(), TestRun.RESULT_GRACE_SECONDS, "no result from " + target + " within "
                    + TestRun.RESULT_GRACE_SECONDS + " s", target, TestKind.TCP_LAT);
            return TestResult.mtu(mtu.mtu().withTcp(info == null ? -1 : info.sndMss(), info == null ? -1 : info.pmtu()),
                    mtu.msgSize(), mtu.localCpu(), mtu.remoteCpu());
        } finally {
            stream.close();
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
