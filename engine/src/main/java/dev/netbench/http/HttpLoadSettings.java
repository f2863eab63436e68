package dev.netbench.http;

import java.time.Duration;

/**
 * One HTTP load run, with ab's knobs: {@code requests} (-n; 0 = no count limit), {@code concurrency} (-c),
 * {@code keepAlive} (-k), {@code timeLimit} (-t; zero = none). {@code rate} > 0 makes it an open loop at that many
 * requests per second in total; {@code threads} event loops (0: one per CPU). The same load runs for {@code warmup}
 * first, on the same connections, and none of it is counted: -n and -t start after it.
 */
public record HttpLoadSettings(String host, int port, String path, long requests, int concurrency, boolean keepAlive,
                               Duration timeLimit, double rate, int threads, Duration requestTimeout, Duration connectTimeout,
                               Duration warmup) {

    public HttpLoadSettings {
        validate(requests, concurrency, timeLimit, rate);
        if (requestTimeout.compareTo(Duration.ZERO) <= 0 || connectTimeout.compareTo(Duration.ZERO) <= 0) {
            throw new IllegalArgumentException("request and connect timeouts must be positive");
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warm-up must not be negative");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /");
        }
    }

    /** The rules on ab's knobs, for every caller that takes them from a user. */
    public static void validate(long requests, int concurrency, Duration timeLimit, double rate) {
        if (requests < 0) {
            throw new IllegalArgumentException("-n must be 0 or more");
        }
        if (concurrency < 1 || concurrency > 20_000) {
            throw new IllegalArgumentException("-c must be 1..20000");
        }
        if (requests > 0 && requests < concurrency) {
            throw new IllegalArgumentException("-n " + requests + " is less than -c " + concurrency);
        }
        if (requests == 0 && timeLimit.isZero()) {
            throw new IllegalArgumentException("give -n requests or a -t time limit");
        }
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be a positive number of requests per second");
        }
    }

    /** The Host header: the name and, when not 80, the port. */
    String hostHeader() {
        return port == 80 ? bracketedHost() : authority();
    }

    /** host:port, an IPv6 address in brackets. */
    String authority() {
        return bracketedHost() + ":" + port;
    }

    private String bracketedHost() {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
