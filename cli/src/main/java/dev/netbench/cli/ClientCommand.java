package dev.netbench.cli;

import dev.netbench.client.Client;
import dev.netbench.client.ClientSettings;
import dev.netbench.client.Sizes;
import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.CsvReport;
import dev.netbench.report.JsonReport;
import dev.netbench.report.RunReport;
import dev.netbench.report.TextReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "client", mixinStandardHelpOptions = true, versionProvider = NetbenchCommand.VersionInfo.class,
        sortOptions = false,
        description = {"Run tests against a netbench server. With no HOST, starts a server inside this process on "
                + "loopback and runs against it (a loopback self-test). With no test selected, runs --tcp-bw and --tcp-lat."},
        footer = {"", "Examples:",
                "  netbench client                              loopback self-test",
                "  netbench client --tcp-bw -t 30 -P 4 10.0.0.7  like iperf3 -c 10.0.0.7 -t 30 -P 4",
                "  netbench client --tcp-bw --tcp-lat --msg 1:64K:*2 10.0.0.7   like qperf -oo msg_size:1:64K:*2 tcp_bw tcp_lat"})
final class ClientCommand implements Callable<Integer> {
    @Option(names = "--tcp-bw", description = "TCP bandwidth (qperf tcp_bw): stream messages for -t seconds; report the receiver's goodput.")
    boolean tcpBw;

    @Option(names = "--tcp-lat", description = "TCP latency (qperf tcp_lat): ping-pong one message at a time; latency = mean RTT / 2, RTT percentiles.")
    boolean tcpLat;

    @Option(names = {"-m", "--msg"}, paramLabel = "SIZE|SWEEP",
            description = "Message size (1, 1500, 64K; K=1024, k=1000) or sweep START:END:*FACTOR | START:END:+STEP, e.g. 1:64K:*2. "
                    + "Default: 128K for tcp_bw, 1 for tcp_lat.")
    String msg;

    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", description = "Measured seconds per test and size (default: ${DEFAULT-VALUE}).")
    String time = "10";

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Seconds run before the measured window, excluded from every figure (default: ${DEFAULT-VALUE}).")
    String warmup = "1";

    @Option(names = {"-P", "--parallel"}, paramLabel = "N", description = "Parallel connections per test (default: ${DEFAULT-VALUE}).")
    int parallel = 1;

    @Option(names = {"-R", "--reverse"}, description = "tcp_bw in reverse: the server sends, the client receives.")
    boolean reverse;

    @Option(names = {"-i", "--interval"}, paramLabel = "SECONDS", description = "Print a progress line every SECONDS on stderr (default: none).")
    String interval = "0";

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Server port (default: ${DEFAULT-VALUE}).")
    int port = Protocol.DEFAULT_PORT;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", description = "Give up connecting after SECONDS (default: ${DEFAULT-VALUE}).")
    String connectTimeout = "5";

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @Option(names = "--csv", description = "Print CSV, one row per test and message size.")
    boolean csv;

    @Parameters(arity = "0..1", paramLabel = "HOST", description = "Server address or name. Omit for a loopback self-test.")
    String host;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ClientSettings settings = settings();
        PrintWriter err = spec.commandLine().getErr();
        RunReport report = Client.run(settings, line -> {
            err.println(line);
            err.flush();
        });
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? JsonReport.format(report) : csv ? CsvReport.format(report) : TextReport.format(report));
        out.flush();
        return 0;
    }

    private ClientSettings settings() {
        List<TestKind> tests = new ArrayList<>();
        if (tcpBw || !tcpLat) {
            tests.add(TestKind.TCP_BW);
        }
        if (tcpLat || !tcpBw) {
            tests.add(TestKind.TCP_LAT);
        }
        if (json && csv) {
            throw bad("--json and --csv exclude each other");
        }
        if (reverse && !tests.contains(TestKind.TCP_BW)) {
            throw bad("-R/--reverse applies to --tcp-bw only");
        }
        if (port < 1 || port > 65535) {
            throw bad("port " + port + " outside 1..65535");
        }
        List<Integer> sizes;
        try {
            sizes = msg == null ? List.of() : Sizes.parseSweep(msg);
        } catch (IllegalArgumentException e) {
            throw bad("--msg: " + e.getMessage());
        }
        Duration seconds = seconds("-t/--time", time, false);
        Duration warmupSeconds = seconds("--warmup", warmup, true);
        Duration intervalSeconds = seconds("-i/--interval", interval, true);
        Duration connectSeconds = seconds("--connect-timeout", connectTimeout, false);
        try {
            return new ClientSettings(host, port, tests, sizes, seconds, warmupSeconds, parallel, reverse, intervalSeconds, connectSeconds);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private Duration seconds(String option, String value, boolean allowZero) {
        try {
            return Sizes.parseSeconds(value, allowZero);
        } catch (IllegalArgumentException e) {
            throw bad(option + ": " + e.getMessage());
        }
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
