package dev.netbench.cli;

import dev.netbench.client.ClientSettings;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.net.URI;
import java.time.Duration;

/** The http test's load, as ab's and wrk's options shape it. */
final class HttpClientOptions {
    @Option(names = {"-n", "--requests"}, paramLabel = "N", description = "http: requests to make in total (default: run for -t).")
    long requests;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "N", description = "http: requests in flight at once, each on its own connection (default: ${DEFAULT-VALUE}).")
    int concurrency = 1;

    @ArgGroup(exclusive = true)
    KeepAlive keepAlive = new KeepAlive();

    /** ab's -k, and its opposite. */
    static final class KeepAlive {
        @Option(names = {"-k", "--keepalive"}, description = "http: reuse connections (HTTP keep-alive); the default, accepted for ab's -k.")
        boolean on;

        @Option(names = "--no-keepalive", description = "http: a new connection per request; reports connect, first-byte and total time per request, as curl -w does.")
        boolean off;
    }

    @Option(names = "--rate", paramLabel = "R", description = "http: open loop at R requests/s in total; latencies are also measured from each request's scheduled start, and requests sent late or never are counted.")
    double rate;

    @Option(names = "--threads", paramLabel = "N", description = "http: event-loop threads (default: one per CPU).")
    int threads;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", converter = Converters.Seconds.class,
            description = "http: give up on a request after SECONDS (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** Whatever the run's tests, a thread count out of range is an error. */
    void check(CommandSpec spec) {
        if (threads < 0 || threads > 1024) {
            throw new ParameterException(spec.commandLine(), "--threads must be 0..1024");
        }
    }

    /**
     * The http test's settings against {@code url} (null: the agent's HTTP target on {@code httpPort}): like ab, -n alone
     * runs to completion, -t alone runs for that long ({@code time}), both stop at whichever comes first.
     */
    ClientSettings.HttpOptions options(URI url, int httpPort, Duration time, boolean timeGiven, CommandSpec spec) {
        Duration limit = !timeGiven && requests > 0 ? Duration.ZERO : time;
        try {
            return new ClientSettings.HttpOptions(url, httpPort, requests, concurrency, !keepAlive.off, limit, rate, threads, timeout);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
