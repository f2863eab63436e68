package dev.netbench.cluster;

import dev.netbench.NetbenchException;
import dev.netbench.auth.Token;
import dev.netbench.client.Client;
import dev.netbench.client.ClientSettings;
import dev.netbench.json.Json;
import dev.netbench.protocol.SocketKnobs;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.JsonReport;
import dev.netbench.report.ScenarioTable;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs a {@link Plan}: every step's tests, each as its own remote-driven test at the step's source agent (or here,
 * for the outside step), {@code concurrency} tests at a time cluster-wide (1 by default: tests sharing a node distort
 * each other). A test that fails leaves a failed cell with the reason; the table always completes.
 */
public final class Matrix {
    /** What the client's JSON says of a tcp_bw's data sockets as read back at both ends (docs/metrics.md, tcp_bw). */
    private static final List<String> SOCKET_FIELDS = List.of("nodelay", "zerocopy", "send_window_bytes", "recv_window_bytes",
            "congestion", "socket");

    /**
     * The knobs of every test in the matrix: an ordinary client run's, one test at a time; {@code sockets} are tcp_bw's
     * (-N -w -M -C -S -Z), for every tcp_bw it runs.
     */
    public record Settings(List<TestKind> tests, Duration time, Duration warmup, int parallel, int httpConcurrency,
                           long bitsPerSecond, int concurrency, Duration connectTimeout, SocketKnobs sockets, int repeat,
                           boolean underLoad) {
        /** Every cell measured once. */
        public Settings(List<TestKind> tests, Duration time, Duration warmup, int parallel, int httpConcurrency,
                        long bitsPerSecond, int concurrency, Duration connectTimeout, SocketKnobs sockets) {
            this(tests, time, warmup, parallel, httpConcurrency, bitsPerSecond, concurrency, connectTimeout, sockets, 1, false);
        }

        public Settings {
            if (repeat < 1 || repeat > ClientSettings.MAX_REPEAT) {
                throw new IllegalArgumentException("--repeat must be 1.." + ClientSettings.MAX_REPEAT);
            }
            tests = List.copyOf(tests);
            if (tests.isEmpty()) {
                throw new IllegalArgumentException("no test selected");
            }
            if (concurrency < 1 || concurrency > 64) {
                throw new IllegalArgumentException("--concurrency must be 1..64");
            }
            if (sockets == null) {
                sockets = SocketKnobs.DEFAULT;
            }
            if (underLoad && !tests.contains(TestKind.TCP_LAT)) {
                throw new IllegalArgumentException("tcp_lat_loaded is tcp_lat measured idle and under load: it needs tcp_lat");
            }
        }
    }

    private final Settings settings;
    private final RemoteClient remote;
    private final Token token;
    private final Consumer<String> progress;

    private Matrix(Settings settings, RemoteClient remote, Token token, Consumer<String> progress) {
        this.settings = settings;
        this.remote = remote;
        this.token = token;
        this.progress = progress;
    }

    /**
     * The table, and for each of its rows the tcp_bw's data sockets as the client's JSON reads them back
     * ({@link #SOCKET_FIELDS} of its result), or null where no tcp_bw result came back.
     */
    public record Result(ScenarioTable table, List<Map<String, Object>> tcpBwSockets) {
        public Result {
            tcpBwSockets = Collections.unmodifiableList(new ArrayList<>(tcpBwSockets)); // null: no tcp_bw in that row
        }
    }

    public static Result run(Plan plan, Settings settings, RemoteClient remote, Token token, String title,
                             Consumer<String> progress) throws InterruptedException {
        return new Matrix(settings, remote, token, progress).run(plan, title);
    }

    private Result run(Plan plan, String title) throws InterruptedException {
        List<Metric> metrics = Metric.of(settings.tests(), settings.underLoad());
        int repeat = settings.repeat();
        int total = plan.steps().size() * settings.tests().size() * repeat;
        AtomicInteger started = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "netbench-matrix");
            t.setDaemon(true);
            return t;
        });
        try {
            // with --repeat N the whole matrix runs N times over, each cell once a round (A B A B), so that drift
            // during the run falls on every cell alike: futures[round][step][test]
            List<List<List<Future<Outcome>>>> futures = new ArrayList<>();
            for (int round = 1; round <= repeat; round++) {
                String sample = repeat > 1 ? String.format(Locale.ROOT, " (sample %d of %d)", round, repeat) : "";
                List<List<Future<Outcome>>> steps = new ArrayList<>();
                for (Plan.Step step : plan.steps()) {
                    List<Future<Outcome>> row = new ArrayList<>();
                    for (TestKind test : settings.tests()) {
                        row.add(pool.submit(() -> measure(step, test, started.incrementAndGet(), total, sample)));
                    }
                    steps.add(row);
                }
                futures.add(steps);
            }
            List<ScenarioTable.Row> rows = new ArrayList<>();
            List<Map<String, Object>> sockets = new ArrayList<>();
            for (int i = 0; i < plan.steps().size(); i++) {
                Plan.Step step = plan.steps().get(i);
                List<List<Outcome>> rounds = new ArrayList<>();
                for (List<List<Future<Outcome>>> round : futures) {
                    List<Outcome> outcomes = new ArrayList<>();
                    for (Future<Outcome> f : round.get(i)) {
                        outcomes.add(get(f));
                    }
                    rounds.add(outcomes);
                }
                rows.add(row(step, metrics, rounds));
                sockets.add(rounds.get(0).stream().filter(o -> o.test() == TestKind.TCP_BW && o.doc() != null)
                        .map(o -> tcpBwSockets(o.doc())).findFirst().orElse(null));
            }
            List<ScenarioTable.Column> columns = metrics.stream().map(Metric::column).toList();
            return new Result(new ScenarioTable(title, columns, rows, Scenario.NODE_NODE.key()), sockets);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A test's result document, or why there is none. */
    private record Outcome(TestKind test, Map<String, Object> doc, String error) {
    }

    private Outcome measure(Plan.Step step, TestKind test, int n, int total, String sample) {
        String what = String.format(Locale.ROOT, "[%d/%d] %s %s: %s > %s%s", n, total, step.scenario().key(), test.wireName(),
                step.sourceName(), step.target().name(), sample);
        progress.accept(what + " ...");
        long t0 = System.nanoTime();
        try {
            Map<String, Object> doc = step.source() == null ? runHere(step.target(), test)
                    : remote.run(step.source().address(), request(step.target(), test));
            progress.accept(String.format(Locale.ROOT, "%s done in %.1f s", what, (System.nanoTime() - t0) / 1e9));
            return new Outcome(test, doc, null);
        } catch (NetbenchException | IllegalArgumentException e) { // IllegalArgumentException: bad JSON or over a bound
            progress.accept(what + " FAILED: " + e.getMessage());
            return new Outcome(test, null, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(test, null, "interrupted");
        }
    }

    private RemoteRequest request(Plan.Target target, TestKind test) {
        return new RemoteRequest(target.host(), target.port(), target.httpPort(), List.of(test), List.of(),
                settings.time().toNanos(), settings.warmup().toNanos(), settings.parallel(), settings.httpConcurrency(),
                settings.bitsPerSecond(), test == TestKind.TCP_BW ? settings.sockets() : SocketKnobs.DEFAULT,
                test == TestKind.TCP_LAT && settings.underLoad());
    }

    /** The tcp_bw result's socket read-back, as its JSON document has it; null if the document has no tcp_bw. */
    private static Map<String, Object> tcpBwSockets(Map<String, Object> doc) {
        if (doc.get("results") instanceof List<?> results) {
            for (Object o : results) {
                if (o instanceof Map<?, ?> r && TestKind.TCP_BW.wireName().equals(r.get("test"))) {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    SOCKET_FIELDS.stream().filter(r::containsKey).forEach(k -> fields.put(k, r.get(k)));
                    return fields;
                }
            }
        }
        return null;
    }

    /** The outside step: this process is the client, as a user outside the cluster would be. */
    private Map<String, Object> runHere(Plan.Target target, TestKind test) throws InterruptedException {
        ClientSettings s = request(target, test).toClientSettings(token, settings.connectTimeout()); // a remote run's bounds
        return Json.parseObject(JsonReport.format(Client.run(s, line -> { })));
    }

    /** A scenario's row from its tests' outcomes in each round: a cell per metric, sampled where there were rounds. */
    private static ScenarioTable.Row row(Plan.Step step, List<Metric> metrics, List<List<Outcome>> rounds) {
        List<ScenarioTable.Cell> cells = new ArrayList<>();
        for (Metric m : metrics) {
            List<ScenarioTable.Cell> samples = new ArrayList<>();
            for (List<Outcome> outcomes : rounds) {
                Outcome o = outcomes.stream().filter(x -> x.test() == m.test()).findFirst().orElseThrow();
                samples.add(o.doc() != null ? m.read(o.doc()) : ScenarioTable.Cell.failed(o.error()));
            }
            cells.add(cell(samples));
        }
        String target = step.target().name();
        if (step.target().agent() == null) {
            // a Service or load balancer: name the agents that answered behind it
            Set<String> behind = new LinkedHashSet<>();
            // (http has no netbench handshake, so its document names no remote agent)
            rounds.stream().flatMap(List::stream).filter(o -> o.doc() != null && o.doc().get("remote") instanceof Map)
                    .forEach(o -> behind.add(remoteName(o.doc())));
            if (!behind.isEmpty()) {
                target += " (" + String.join(", ", behind) + ")";
            }
        }
        return new ScenarioTable.Row(step.scenario().key(), step.scenario().label(), step.sourceName(), target, cells);
    }

    /** One cell from its samples, one a round: a single one as it is, several {@linkplain ScenarioTable.Cell#combined combined}. */
    private static ScenarioTable.Cell cell(List<ScenarioTable.Cell> samples) {
        return samples.size() == 1 ? samples.get(0)
                : ScenarioTable.Cell.combined(samples, i -> "sample " + (i + 1) + " of " + samples.size());
    }

    private static String remoteName(Map<String, Object> doc) {
        Map<?, ?> remote = (Map<?, ?>) doc.get("remote");
        if (remote.get("kubernetes") instanceof Map<?, ?> k && k.get("pod_name") != null) {
            return String.valueOf(k.get("pod_name"));
        }
        return String.valueOf(remote.get("hostname"));
    }

    private static Outcome get(Future<Outcome> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause()); // measure() turns every expected failure into an Outcome
        }
    }
}
