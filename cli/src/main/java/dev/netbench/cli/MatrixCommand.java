package dev.netbench.cli;

import dev.netbench.NetbenchException;
import dev.netbench.auth.Token;
import dev.netbench.cluster.Agent;
import dev.netbench.cluster.Discovery;
import dev.netbench.cluster.Discovery.HostPort;
import dev.netbench.cluster.Matrix;
import dev.netbench.cluster.Metric;
import dev.netbench.cluster.Plan;
import dev.netbench.cluster.RemoteClient;
import dev.netbench.cluster.RemoteRequest;
import dev.netbench.gate.Gate;
import dev.netbench.gate.Threshold;
import dev.netbench.host.Version;
import dev.netbench.json.JsonWriter;
import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.SocketKnobs;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.ScenarioTable;
import dev.netbench.report.ScenarioTableJson;
import dev.netbench.report.ScenarioTableText;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "matrix", mixinStandardHelpOptions = true, versionProvider = NetbenchCommand.VersionInfo.class,
        description = "Measure every path of a cluster from the agents themselves (node to node, pod to pod on one node "
                + "and across nodes, node to pod, pod to node, through a Service, from outside through a load balancer) "
                + "and print the scenario table. Needs the agents' token. Exit code 1 if any cell failed.")
final class MatrixCommand implements Callable<Integer> {
    static final int DEFAULT_HOST_PORT = 7576;

    @Option(names = "--peers", split = ",", paramLabel = "HOST[:PORT]", description = "Agents by address (port default 7575).")
    List<String> peers = new ArrayList<>();

    @Option(names = "--pods", paramLabel = "NAME[:PORT]", description = "A DNS name resolving to every pod agent (the "
            + "pod DaemonSet's headless Service, e.g. netbench-pod.netbench.svc; port default 7575). Repeatable.")
    List<String> pods = new ArrayList<>();

    @Option(names = "--hosts", paramLabel = "NAME[:PORT]", description = "A DNS name resolving to every host-network "
            + "agent (e.g. netbench-host.netbench.svc; port default " + DEFAULT_HOST_PORT + "). Repeatable.")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--service", paramLabel = "ADDR[:PORT]", description = "Add pod>Service>pod through this ClusterIP (port default 7575).")
    String service;

    @Option(names = "--service-http-port", paramLabel = "PORT", description = "The Service's HTTP target port (default: ${DEFAULT-VALUE}).")
    int serviceHttpPort = 7580;

    @Option(names = "--external", paramLabel = "ADDR[:PORT]", description = "Add outside>load balancer>pod: measured from here to this address (port default 7575).")
    String external;

    @Option(names = "--external-http-port", paramLabel = "PORT", description = "The load balancer's HTTP target port (default: ${DEFAULT-VALUE}).")
    int externalHttpPort = 7580;

    /** The --tests name of tcp_lat measured idle and under load. */
    static final String LOADED = "tcp_lat_loaded";

    @Option(names = "--tests", split = ",", paramLabel = "TEST", description = "Tests per scenario, of tcp_lat, tcp_bw, "
            + "http, udp_lat, udp_bw, tcp_crr, mtu (the path MTU), and " + LOADED + ": tcp_lat idle and beside a tcp_bw stream each way "
            + "(--under-load), with its idle and loaded RTT p99 (default: ${DEFAULT-VALUE}).")
    List<String> tests = new ArrayList<>(List.of("tcp_lat", "tcp_bw", "http"));

    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", defaultValue = "5", converter = Converters.Seconds.class,
            description = "Measured seconds per test (default: ${DEFAULT-VALUE}; at most 60).")
    Duration time;



    @Option(names = {"-c", "--concurrency-http"}, paramLabel = "N", description = "http: connections (default: ${DEFAULT-VALUE}).")
    int httpConcurrency = 32;


    @CommandLine.Mixin
    TestOptions test;

    @CommandLine.Mixin
    SocketKnobOptions sockets;

    @Option(names = "--concurrency", paramLabel = "N", description = "Tests running at once cluster-wide (default: "
            + "${DEFAULT-VALUE}: concurrent tests on one node distort each other).")
    int concurrency = 1;

    @Option(names = "--all-pairs", description = "Every classified pair, not one representative pair per scenario (small clusters).")
    boolean allPairs;

    @Option(names = "--label", paramLabel = "TEXT", description = "Name of this run in the title and in compare (e.g. the CNI mode).")
    String label;


    @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr.")
    boolean quiet;

    @ArgGroup(exclusive = true)
    Format format = new Format();

    /** What is printed: the table as text unless one of these. */
    static final class Format {
        @Option(names = "--json", description = "Print the table as one JSON document (docs/metrics.md, scenario table).")
        boolean json;

        @Option(names = "--csv", description = "Print the table as CSV, one line per cell.")
        boolean csv;
    }

    @Option(names = "--report", paramLabel = "FILE.html", description = "Also write an HTML report: the scenario table as a "
            + "heatmap against the node-to-node baseline (self-contained; opens offline).")
    java.nio.file.Path report;

    @Option(names = "--fail-if", paramLabel = "EXPR", converter = Converters.FailIf.class,
            description = "Exit with code 3 if EXPR holds in a scenario, after printing the table: 'tcp_bw < 9G', 'tcp_lat > 100us', "
                    + "'udp_bw.lost_percent > 0.1' (TEST[.FIGURE] OP VALUE on a figure the table has a column for; repeatable).")
    List<Threshold> failIf = new ArrayList<>();

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Measure every cell N times, the whole matrix over and over (A B A B); each cell shows its samples' median, "
                    + "and the JSON carries the samples and the 95 %% confidence interval of their mean, for compare's verdicts "
                    + "(default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--save", paramLabel = "FILE", description = "Also write the JSON document to FILE (for compare), whatever is printed.")
    java.nio.file.Path save;

    @CommandLine.Mixin
    TokenOption token;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (peers.isEmpty() && pods.isEmpty() && hosts.isEmpty()) {
            throw bad("no agents: give --peers, --pods or --hosts");
        }
        if (report != null && HtmlOutput.problem(report) != null) {
            throw bad("--report: " + HtmlOutput.problem(report));
        }
        Matrix.Settings settings = settings();
        for (Threshold t : failIf) {
            if (settings.tests().stream().noneMatch(k -> k.wireName().equals(t.test()))) {
                throw bad("--fail-if '" + t.text() + "': the run has no " + t.test() + " test");
            }
            if (Metric.column(t.test(), t.path()) == null) {
                throw bad("--fail-if '" + t.text() + "': the matrix has no column of " + t.test() + "'s " + t.path()
                        + " (its columns are one figure per test: see docs/metrics.md, cluster matrix)");
            }
        }
        Token secret = token.resolve(spec);
        if (secret == null) {
            throw bad("the matrix drives tests from the agents and needs their token: --token-file FILE or " + Token.ENV);
        }
        List<HostPort> peerList = parse(peers, Protocol.DEFAULT_PORT, "--peers");
        List<HostPort> names = new ArrayList<>(parse(pods, Protocol.DEFAULT_PORT, "--pods"));
        names.addAll(parse(hosts, DEFAULT_HOST_PORT, "--hosts"));
        Plan.Target serviceTarget = target(service, serviceHttpPort, "--service");
        Plan.Target externalTarget = target(external, externalHttpPort, "--external");

        PrintWriter err = spec.commandLine().getErr();
        java.util.function.Consumer<String> progress = line -> {
            if (!quiet) {
                synchronized (err) {
                    err.println(line);
                    err.flush();
                }
            }
        };
        try (RemoteClient remote = new RemoteClient(secret, settings.connectTimeout())) {
            List<InetSocketAddress> addresses = Discovery.addresses(peerList, names);
            List<Agent> agents = Discovery.identify(addresses, remote, line -> {
                err.println("netbench: " + line);
                err.flush();
            });
            if (agents.isEmpty()) {
                throw new NetbenchException("no agent answered (" + addresses.size() + " addresses tried)");
            }
            long nodes = agents.stream().map(Agent::node).distinct().count();
            for (Agent a : agents) {
                progress.accept("agent " + a.endpoint() + ": " + a.name() + " on node " + a.node()
                        + (a.hostNetwork() ? " (host network)" : " (pod network)"));
            }
            Plan plan = Plan.of(agents, allPairs, serviceTarget, externalTarget);
            if (plan.steps().isEmpty()) {
                throw new NetbenchException("nothing to measure: " + agents.size() + " agent(s) answered and no pair of them "
                        + "is a scenario (add agents, --service or --external)");
            }
            String title = "netbench matrix" + (label != null ? " (" + label + ")" : "") + ": " + agents.size()
                    + " agents on " + nodes + " nodes, " + plan.steps().size() + " scenarios, " + String.join(", ", tests)
                    + socketsGiven() + ", " + Converters.format(time) + " s each";
            Matrix.Result result = Matrix.run(plan, settings, remote, secret, title, progress);
            ScenarioTable table = result.table();
            String doc = document(result, settings, agents);
            if (save != null) {
                try {
                    java.nio.file.Files.writeString(save, doc);
                } catch (java.io.IOException e) {
                    throw new NetbenchException("cannot write " + save + ": " + e.getMessage());
                }
            }
            if (report != null) {
                java.util.Map<String, String> about = new java.util.LinkedHashMap<>();
                if (label != null) {
                    about.put("run", label);
                }
                about.put("agents", agents.size() + " on " + nodes + " nodes");
                about.put("tests", String.join(", ", tests) + socketsGiven() + ", " + Converters.format(time) + " s each after "
                        + Converters.format(test.warmup) + " s of warm-up");
                about.put("netbench", Version.get());
                HtmlOutput.write(report, dev.netbench.report.html.HtmlReport.matrix(table, about));
                progress.accept("report: " + report);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(format.json ? doc : format.csv ? ScenarioTableText.csv(table) : ScenarioTableText.format(table));
            out.flush();
            List<Gate.Breach> breaches = Gate.check(failIf, table, t -> Metric.column(t.test(), t.path()));
            breaches.forEach(b -> err.println("netbench: " + b.message()));
            err.flush();
            boolean complete = table.rows().stream().allMatch(r -> r.cells().stream().allMatch(ScenarioTable.Cell::ok));
            return !complete ? 1 : breaches.isEmpty() ? 0 : Gate.BREACHED;
        }
    }

    /** " (tcp_bw -N -w 256K)": the socket knobs as given, for the title; empty without any. */
    private String socketsGiven() {
        return sockets.given() ? " (tcp_bw " + String.join(" ", sockets.asGiven()) + ")" : "";
    }

    /**
     * The table plus what produced it: the settings and every agent's identity; in each scenario that ran tcp_bw, its
     * data sockets as read back at both ends ({@code tcp_bw_socket}, as the client's JSON has them).
     */
    private String document(Matrix.Result result, Matrix.Settings settings, List<Agent> agents) {
        JsonWriter w = new JsonWriter(true);
        w.beginObject(null).value("tool", "netbench").value("version", Version.get())
                .value("schema_version", dev.netbench.report.JsonReport.SCHEMA_VERSION).value("label", label);
        ScenarioTableJson.writeFields(w, result.table(), (out, row) -> {
            if (result.tcpBwSockets().get(row) != null) {
                out.parsed("tcp_bw_socket", result.tcpBwSockets().get(row));
            }
        });
        SocketKnobs knobs = settings.sockets();
        w.beginObject("settings").value("seconds", time.toNanos() / 1e9).value("warmup_seconds", test.warmup.toNanos() / 1e9)
                .value("parallel", test.parallel).value("concurrency", concurrency).value("all_pairs", allPairs)
                .value("repeat", repeat);
        // what was asked of tcp_bw's sockets; null: the kernel's default
        w.beginObject("tcp_bw_sockets").value("nodelay", knobs.noDelay())
                .value("window_bytes", knobs.window() > 0 ? knobs.window() : Double.NaN)
                .value("mss", knobs.mss() > 0 ? knobs.mss() : Double.NaN).value("congestion", knobs.congestion())
                .value("tos", knobs.tos() >= 0 ? knobs.tos() : Double.NaN).value("zerocopy", knobs.zerocopy())
                .endObject().endObject();
        w.beginArray("agents");
        for (Agent a : agents) {
            w.beginObject(null).value("address", a.endpoint()).value("http_port", a.httpPort()).value("name", a.name())
                    .value("node", a.node()).value("host_network", a.hostNetwork())
                    .value("hostname", a.identity().hostname()).value("version", a.identity().version()).endObject();
        }
        w.endArray().endObject();
        return w + "\n";
    }

    private Matrix.Settings settings() {
        List<TestKind> kinds = new ArrayList<>();
        boolean underLoad = false;
        for (String t : tests) {
            boolean loaded = t.strip().equals(LOADED);
            underLoad |= loaded;
            kinds.add(loaded ? TestKind.TCP_LAT : TestKind.of(t.strip()).orElseThrow(() -> bad("--tests: unknown test '" + t + "'")));
        }
        try {
            // -C is not checked against this host's algorithms: the agents' kernels decide, a cell says why not
            Matrix.Settings s = new Matrix.Settings(kinds.stream().distinct().toList(), time, test.warmup, test.parallel, httpConcurrency,
                    test.bitrate, concurrency, test.connectTimeout, sockets.knobs(spec, false), repeat, underLoad);
            // what every agent would refuse, refused here: one line and exit 2, not a table of failed cells
            new RemoteRequest("check", 1, 1, s.tests(), List.of(), time.toNanos(), test.warmup.toNanos(), test.parallel, httpConcurrency,
                    s.bitsPerSecond(), s.sockets(), underLoad);
            return s;
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage().replace("remote test: ", ""));
        }
    }

    private List<HostPort> parse(List<String> values, int defaultPort, String option) {
        List<HostPort> out = new ArrayList<>();
        for (String v : values) {
            try {
                out.add(HostPort.parse(v, defaultPort));
            } catch (IllegalArgumentException e) {
                throw bad(option + ": " + e.getMessage());
            }
        }
        return out;
    }

    private Plan.Target target(String value, int httpPort, String option) {
        if (value == null) {
            return null;
        }
        if (httpPort < 1 || httpPort > 65535) {
            throw bad(option + "-http-port must be 1..65535");
        }
        HostPort hp = parse(List.of(value), Protocol.DEFAULT_PORT, option).get(0);
        return new Plan.Target(hp.host(), hp.port(), httpPort, null);
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
