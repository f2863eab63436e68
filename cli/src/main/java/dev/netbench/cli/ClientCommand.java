package dev.netbench.cli;

import dev.netbench.client.Client;
import dev.netbench.client.ClientSettings;
import dev.netbench.client.RunFailedException;
import dev.netbench.client.RunListener;
import dev.netbench.cluster.Discovery;
import dev.netbench.gate.Gate;
import dev.netbench.gate.Threshold;
import dev.netbench.latency.HdrLog;
import dev.netbench.NetbenchException;
import dev.netbench.iperf3.Iperf3;
import dev.netbench.iperf3.Iperf3Client;
import dev.netbench.iperf3.Iperf3Json;
import dev.netbench.iperf3.Iperf3Summary;
import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.SocketKnobs;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.CsvReport;
import dev.netbench.report.JsonReport;
import dev.netbench.report.RunReport;
import dev.netbench.report.TextReport;
import dev.netbench.report.html.HtmlReport;
import dev.netbench.server.NetbenchServer;
import dev.netbench.server.ServerOptions;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "client", mixinStandardHelpOptions = true, versionProvider = NetbenchCommand.VersionInfo.class,
        sortOptions = false,
        description = {"Run tests against a netbench server. With no HOST, starts a server inside this process on "
                + "loopback and runs against it (a loopback self-test). With no test selected, runs --tcp-bw, --tcp-lat and --http."},
        footer = {"", "Examples:",
                "  netbench client                              loopback self-test",
                "  netbench client --tcp-bw -t 30 -P 4 10.0.0.7  like iperf3 -c 10.0.0.7 -t 30 -P 4",
                "  netbench client --tcp-bw --tcp-lat --msg 1:64K:*2 10.0.0.7   like qperf -oo msg_size:1:64K:*2 tcp_bw tcp_lat",
                "  netbench client --tcp-crr -P 4 10.0.0.7        like netperf -t TCP_CRR, 4 transactions at once",
                "  netbench client --udp-bw -b 500M -i 1 10.0.0.7   like iperf3 -u -b 500M: loss, jitter, reordering",
                "  netbench client --udp-lat 10.0.0.7            like qperf udp_lat",
                "  netbench client --http -n 100000 -c 100 http://10.0.0.7/    like ab -k -n 100000 -c 100",
                "  netbench client --http --no-keepalive -n 1000 10.0.0.7    curl -w's connect/first-byte/total times, as distributions",
                "  netbench client --iperf3 10.0.0.7 -P 4 -R       against an iperf3 server (iperf3 -s), over iperf3's protocol",
                "  netbench client --tcp-bw --json-iperf3 10.0.0.7  iperf3 -J's JSON shape",
                "  netbench client --tcp-bw -N -w 256K -C reno -S 0x10 10.0.0.7   iperf3's -N -w -C -S, read back at both ends",
                "  netbench client --tcp-bw -Z 10.0.0.7           iperf3 -Z: the sender sends with sendfile(2)"})
final class ClientCommand implements Callable<Integer> {
    @Option(names = "--tcp-bw", description = "TCP bandwidth (qperf tcp_bw): stream messages for -t seconds; report the receiver's goodput.")
    boolean tcpBw;

    @Option(names = "--tcp-lat", description = "TCP latency (qperf tcp_lat): ping-pong one message at a time; latency = mean RTT / 2, RTT percentiles.")
    boolean tcpLat;

    @Option(names = "--tcp-crr", description = "TCP connect rate (netperf TCP_CRR): a new connection per request and response; "
            + "transactions/s, connect and transaction time percentiles.")
    boolean tcpCrr;
    @Option(names = "--udp-bw", description = "UDP bandwidth (qperf udp_bw, iperf3 -u): paced datagrams; send and receive rate, loss, jitter, reordering.")
    boolean udpBw;

    @Option(names = "--udp-lat", description = "UDP latency (qperf udp_lat): datagram ping-pong; latency = mean RTT / 2, RTT percentiles, lost requests.")
    boolean udpLat;

    @Option(names = "--mtu", description = "The path's MTU: UDP probes with Don't Fragment set at both ends, echoed by the agent, "
            + "up to the interfaces' MTU; reports the largest packet that crossed, each end's interface MTU, and a black hole "
            + "(sizes the interfaces allow but the path silently drops) where there is one.")
    boolean mtu;

    @Option(names = "--http", description = "HTTP/1.1 load like ab, against HOST's agent HTTP target or any http:// URL given as HOST.")
    boolean http;

    @Option(names = {"-m", "--msg"}, paramLabel = "SIZE|SWEEP", converter = Converters.SizeSweep.class,
            description = "Message size (1, 1500, 64K; K=1024, k=1000) or sweep START:END:*FACTOR | START:END:+STEP, e.g. 1:64K:*2. "
                    + "A TCP message is what qperf -m and iperf3 -l mean: SIZE payload bytes in one send, nothing added on the wire. "
                    + "Default: 128K for tcp_bw, 1 for tcp_lat and tcp_crr, 1400 for udp_bw, 20 for udp_lat (UDP: the whole UDP payload, 20..65507); for http the body size of GET /bytes/N (default: the URL's path, / on an agent).")
    Converters.Sweep msg;

    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", converter = Converters.Seconds.class,
            description = "Measured seconds per test and size (default: 10); for http a window on the wall clock: requests still in flight at its end are counted, not waited for (default: 10 s unless -n is given).")
    Duration time;



    @Option(names = {"-R", "--reverse"}, description = "tcp_bw and udp_bw in reverse: the server sends, the client receives.")
    boolean reverse;

    @Option(names = "--bidir", description = "tcp_bw both ways at once (iperf3 --bidir): -P streams send and as many receive, each on its own "
            + "connection; reports each direction's goodput and their sum.")
    boolean bidir;

    @Option(names = "--no-gsro", description = "udp_bw: one datagram per send at both ends, as iperf3 without --gsro (sends due at "
            + "once share a sendmmsg(2)); the receiver reads with recvmmsg(2) instead of GRO. By default udp_bw's ends use UDP GSO and GRO where the kernel has them: "
            + "the same datagrams on the wire, up to 64 per send(2).")
    boolean noGsro;

    @Option(names = "--busy-poll", description = "tcp_lat and udp_lat with both ends spinning on read(2) instead of sleeping in it "
            + "(sockperf's and netperf's busy-poll): the path's floor without the scheduler's wake-up, two CPUs kept busy. "
            + "Its own mode: reported as io = busy_poll.")
    boolean busyPoll;

    @Option(names = {"-T", "--cpu"}, paramLabel = "LCPU[,RCPU]", converter = Converters.CpuPair.class,
            description = "Run tcp_lat's and tcp_bw's ends on these CPUs: the client's on LCPU, the agent's on RCPU (netperf's -T, "
                    + "qperf's -la/-ra; '0,' the client only, ',1' the agent only). Latency moves about fourfold with placement.")
    Converters.Cpus cpus = Converters.Cpus.NONE;

    @CommandLine.Mixin
    TestOptions test;

    @CommandLine.Mixin
    SocketKnobOptions sockets;

    @CommandLine.Mixin
    LoadOptions load;


    @Option(names = {"-i", "--interval"}, paramLabel = "SECONDS", defaultValue = "0", converter = Converters.SecondsOrZero.class,
            description = "Print a progress line every SECONDS on stderr, for tcp_bw, tcp_lat, tcp_crr, udp_bw (at least 0.1) and udp_lat (default: none).")
    Duration interval;

    @CommandLine.Mixin
    HttpClientOptions httpLoad;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Server port (default: ${DEFAULT-VALUE}).")
    int port = Protocol.DEFAULT_PORT;

    @Option(names = "--http-port", paramLabel = "PORT", description = "Port of the agent's HTTP target (default: ${DEFAULT-VALUE}).")
    int httpPort = ServerOptions.DEFAULT_HTTP_PORT;

    @picocli.CommandLine.Mixin
    TokenOption token;


    @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr (for logs that should hold the result only).")
    boolean quiet;

    @ArgGroup(exclusive = true)
    OutputFormat format = new OutputFormat();

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Also write an HTML report: sweep charts, latency percentile plots, both ends' identities and settings (self-contained; opens offline).")
    String report;

    @Option(names = "--fail-if", paramLabel = "EXPR", converter = Converters.FailIf.class,
            description = "Exit with code 3 if EXPR holds for a result, after printing it: 'tcp_bw < 9G', 'tcp_lat.p99 > 200us', "
                    + "'http.failed > 0' (TEST[.FIGURE] OP VALUE; TEST alone is its headline figure, FIGURE a percentile or any "
                    + "figure's JSON name; every message size is checked; repeatable).")
    List<Threshold> failIf = new ArrayList<>();

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Measure every test N times, the whole plan over and over (A B A B), and report each as its median run "
                    + "with its headline figures' samples: median, min, max and the 95 %% confidence interval of the mean "
                    + "(Student's t) (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--hdr-log", paramLabel = "FILE",
            description = "Write each -i interval's latency histogram of tcp_lat, udp_lat and tcp_crr to FILE in HdrHistogram's "
                    + "interval log format (HistogramLogProcessor reads it), tagged TEST.MSG_SIZE, .warmup for the warm-up.")
    java.nio.file.Path hdrLog;

    @Option(names = "--iperf3", paramLabel = "HOST[:PORT]",
            description = "Run --tcp-bw (default) or --udp-bw against an iperf3 server, over iperf3's own protocol (port 5201 unless given); "
                    + "--warmup becomes iperf3's -O, so -t and --warmup are whole seconds.")
    String iperf3;

    @Parameters(arity = "0..1", paramLabel = "HOST", description = "Server address or name, or an http:// URL for --http alone. Omit for a loopback self-test.")
    String host;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (iperf3 != null) {
            return iperf3();
        }
        ClientSettings settings = settings();
        format.check(settings, spec);
        checkThresholds(settings.tests());
        java.nio.file.Path reportFile = reportFile();
        RunReport run;
        RunListener listener = format.jsonStream ? Listeners.streaming(this::progress, spec.commandLine().getOut()) : this::progress;
        try (HdrLog log = Listeners.hdrLog(hdrLog, settings, spec)) {
            try {
                run = Client.run(settings, log == null ? listener : Listeners.logging(listener, log),
                        () -> NetbenchServer.start(ServerOptions.loopback(), line -> { }));
            } catch (RunFailedException e) {
                // what finished, and the failing test marked partial, still go to stdout; the one-line reason to stderr
                if ((e.report().hasFigures() || format.jsonStream) && !format.jsonIperf3) {
                    print(e.report(), null, reportFile);
                }
                throw e;
            }
            if (log != null && log.failed()) {
                throw new NetbenchException("--hdr-log " + hdrLog + ": writing failed");
            }
        }
        print(run, format.jsonIperf3 ? Iperf3Summary.of(run) : null, reportFile);
        return gate(run);
    }

    /** Every --fail-if names a test the run has. */
    private void checkThresholds(List<TestKind> tests) {
        for (Threshold t : failIf) {
            if (tests.stream().noneMatch(k -> k.wireName().equals(t.test()))) {
                throw bad("--fail-if '" + t.text() + "': the run has no " + t.test() + " test");
            }
        }
    }

    /** The exit code of a run that finished: 0, or {@link Gate#BREACHED} with a line per breach on stderr. */
    private int gate(RunReport run) {
        List<Gate.Breach> breaches;
        try {
            breaches = Gate.check(failIf, run);
        } catch (IllegalArgumentException e) {
            throw bad("--fail-if " + e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        breaches.forEach(b -> err.println("netbench: " + b.message()));
        err.flush();
        return breaches.isEmpty() ? 0 : Gate.BREACHED;
    }

    private void progress(String line) {
        if (!quiet) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(line);
            err.flush();
        }
    }

    /** The --report file, checked before the run so a long run does not end in an unwritable path; or null. */
    private java.nio.file.Path reportFile() {
        java.nio.file.Path reportFile = report == null ? null : java.nio.file.Path.of(report);
        if (reportFile != null && HtmlOutput.problem(reportFile) != null) {
            throw bad("--report: " + HtmlOutput.problem(reportFile));
        }
        return reportFile;
    }

    /** The run in the chosen format ({@code summary}: iperf3's -J shape), and the HTML report if asked for. */
    private void print(RunReport run, Iperf3Summary summary, java.nio.file.Path reportFile) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(summary != null ? Iperf3Json.format(summary, run.local()) : format.json ? JsonReport.format(run)
                : format.jsonStream ? JsonReport.endEvent(run)
                : format.csv ? CsvReport.format(run) : TextReport.format(run));
        out.flush();
        if (reportFile != null) {
            HtmlOutput.write(reportFile, HtmlReport.client(run));
            progress("report: " + reportFile);
        }
    }

    /** --iperf3: one bandwidth test against an iperf3 server, over iperf3's protocol. */
    private int iperf3() throws InterruptedException {
        if (host != null) {
            throw bad("--iperf3 names the server: give no HOST beside it");
        }
        if (tcpLat || tcpCrr || udpLat || mtu || http || (tcpBw && udpBw)) {
            throw bad("--iperf3 runs one bandwidth test: --tcp-bw (the default) or --udp-bw");
        }
        if (sockets.given() || bidir || busyPoll || !cpus.equals(Converters.Cpus.NONE) || repeat != 1 || hdrLog != null
                || load.underLoad || noGsro) {
            throw bad("--iperf3 does not apply -N, -w, -M, -C, -S, -Z, -T, --bidir, --busy-poll, --repeat, --hdr-log, --under-load or --no-gsro; "
                    + "run them against a netbench agent");
        }
        Discovery.HostPort target;
        try {
            target = Discovery.HostPort.parse(iperf3, Iperf3.DEFAULT_PORT);
        } catch (IllegalArgumentException e) {
            throw bad("--iperf3: " + e.getMessage());
        }
        String server = target.host();
        int serverPort = target.port();
        boolean udp = udpBw;
        List<Integer> sizes = sizes();
        if (sizes.size() > 1) {
            throw bad("--iperf3 runs one block size, not a sweep");
        }
        int size = sizes.isEmpty() ? (udp ? TestKind.UDP_BW : TestKind.TCP_BW).defaultMsgSize() : sizes.get(0);
        if (seconds().toNanos() % 1_000_000_000L != 0 || test.warmup.toNanos() % 1_000_000_000L != 0) {
            throw bad("--iperf3: iperf3 counts -t and -O (--warmup) in whole seconds");
        }
        Iperf3Client.Settings settings;
        try {
            settings = new Iperf3Client.Settings(server, serverPort, udp, test.parallel, reverse, (int) seconds().toSeconds(),
                    (int) test.warmup.toSeconds(), size, udp ? test.bitrate : 0, test.connectTimeout.toMillis(), interval.toNanos() / 1e9);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        checkThresholds(List.of(udp ? TestKind.UDP_BW : TestKind.TCP_BW));
        java.nio.file.Path reportFile = reportFile();
        Iperf3Client.Run run = Iperf3Client.run(settings, this::progress);
        print(run.report(), format.jsonIperf3 ? run.summary() : null, reportFile);
        return gate(run.report());
    }

    private ClientSettings settings() {
        URI url = null;
        if (host != null && host.contains("://")) {
            url = parseUrl(host);
        }
        List<TestKind> tests = new ArrayList<>();
        boolean none = !tcpBw && !tcpLat && !tcpCrr && !udpBw && !udpLat && !mtu && !http;
        if (tcpBw || (none && url == null)) {
            tests.add(TestKind.TCP_BW);
        }
        if (tcpLat || (none && url == null)) {
            tests.add(TestKind.TCP_LAT);
        }
        if (tcpCrr) {
            tests.add(TestKind.TCP_CRR);
        }
        if (udpBw) {
            tests.add(TestKind.UDP_BW);
        }
        if (udpLat) {
            tests.add(TestKind.UDP_LAT);
        }
        if (mtu) {
            tests.add(TestKind.MTU);
        }
        if (http || none) {
            tests.add(TestKind.HTTP);
        }
        if (url != null && !tests.equals(List.of(TestKind.HTTP))) {
            throw bad("a URL names an HTTP server: use it with --http alone");
        }
        if (url != null && msg != null) {
            throw bad("--msg requests GET /bytes/N of a netbench agent; with a URL, the URL names what to get");
        }
        if (reverse && !tests.contains(TestKind.TCP_BW) && !tests.contains(TestKind.UDP_BW)) {
            throw bad("-R/--reverse applies to --tcp-bw and --udp-bw only");
        }
        for (int p : new int[]{port, httpPort}) {
            if (p < 1 || p > 65535) {
                throw bad("port " + p + " outside 1..65535");
            }
        }
        httpLoad.check(spec);
        ClientSettings.HttpOptions httpOptions = tests.contains(TestKind.HTTP)
                ? httpLoad.options(url, httpPort, seconds(), time != null, spec) : null;
        SocketKnobs knobs = sockets.knobs(spec, true);
        try {
            return new ClientSettings(url != null ? url.getHost() : host, port, tests, sizes(), seconds(), test.warmup, test.parallel,
                    reverse, interval, test.connectTimeout, httpOptions, test.bitrate, token.resolve(spec), knobs, bidir, busyPoll,
                    cpus.local(), cpus.remote(), repeat, load.load(spec), !noGsro);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private URI parseUrl(String text) {
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            throw bad("'" + text + "' is not a URL: " + e.getReason());
        }
        if (!"http".equalsIgnoreCase(u.getScheme())) {
            throw bad("only http:// URLs are supported, not '" + u.getScheme() + "'");
        }
        if (u.getHost() == null) {
            throw bad("URL '" + text + "' has no host");
        }
        if (u.getPort() == 0 || u.getPort() > 65535) {
            throw bad("URL '" + text + "' has port " + u.getPort() + ", outside 1..65535");
        }
        return u;
    }

    /** -t, 10 s unless given. */
    private Duration seconds() {
        return time != null ? time : Duration.ofSeconds(10);
    }

    /** --msg's sizes; empty: each test's default. */
    private List<Integer> sizes() {
        return msg != null ? msg.sizes() : List.of();
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
