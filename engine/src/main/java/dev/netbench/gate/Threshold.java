package dev.netbench.gate;

import dev.netbench.protocol.TestKind;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code --fail-if} expression, {@code TEST[.FIGURE] OP VALUE}: the run fails its gate when a result of
 * {@code test} has the figure at {@code path} (a dotted path into the result's JSON object) for which
 * {@code figure OP value} holds. {@code value} is in the figure's JSON unit, converted from the unit given.
 */
public record Threshold(String text, String test, String path, Op op, double value, Unit unit) {
    private static final Pattern EXPRESSION = Pattern.compile(
            "\\s*([a-z_0-9]+)(?:\\.([a-z_0-9.]+))?\\s*(<=|>=|<|>)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(\\S*)\\s*");
    private static final Set<String> SUMMARY = Set.of("min", "mean", "p50", "p90", "p99", "p999", "max");

    /** The comparison that, holding, breaches the threshold. */
    public enum Op {
        LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        boolean holds(double measured, double value) {
            return switch (this) {
                case LT -> measured < value;
                case LE -> measured <= value;
                case GT -> measured > value;
                case GE -> measured >= value;
            };
        }

        static Op of(String symbol) {
            return Arrays.stream(values()).filter(o -> o.symbol.equals(symbol)).findFirst().orElseThrow();
        }
    }

    /** What a figure is measured in, read from its JSON name, and how a value given for it is written. */
    public enum Unit {
        /** {@code *_us}: microseconds; the value needs a time unit (ns, us, ms, s). */
        MICROSECONDS,
        /** {@code *_ms} (udp_bw's jitter_ms): milliseconds; the value needs a time unit. */
        MILLISECONDS,
        /** {@code *bits_per_second}: bits per second; 9G, 500M, 9Gbit/s (k, M, G, T are powers of 1000, as -b). */
        BITS_PER_SECOND,
        /** {@code *_percent}: percent; 1, 1% or 0.5 %. */
        PERCENT,
        /** Anything else: a count, a rate per second, a cost; a plain number, or with k, M, G (powers of 1000). */
        NUMBER;

        static Unit of(String path) {
            String[] parts = path.split("\\.");
            String last = parts[parts.length - 1];
            String parent = parts.length > 1 ? parts[parts.length - 2] : "";
            if (last.endsWith("_us") || parent.endsWith("_us")) {
                return MICROSECONDS;
            }
            if (last.endsWith("_ms")) {
                return MILLISECONDS;
            }
            if (last.endsWith("bits_per_second")) {
                return BITS_PER_SECOND;
            }
            return last.endsWith("_percent") ? PERCENT : NUMBER;
        }

        /** {@code number} with the {@code suffix} given, in this unit; IllegalArgumentException if they do not fit. */
        double convert(double number, String suffix) {
            String s = suffix.toLowerCase(Locale.ROOT);
            switch (this) {
                case MICROSECONDS, MILLISECONDS -> {
                    double micros = switch (s) {
                        case "ns" -> number / 1e3;
                        case "us", "µs" -> number;
                        case "ms" -> number * 1e3;
                        case "s" -> number * 1e6;
                        default -> throw new IllegalArgumentException(s.isEmpty()
                                ? "a time needs its unit (ns, us, ms or s), e.g. 200us"
                                : "'" + suffix + "' is not a time unit (ns, us, ms or s)");
                    };
                    return this == MICROSECONDS ? micros : micros / 1e3;
                }
                case BITS_PER_SECOND -> {
                    String prefix = s.replaceFirst("(bit/s|b/s|bps)$", "");
                    return number * powerOf1000(prefix, "a bit rate (e.g. 9G, 500M, 9Gbit/s)");
                }
                case PERCENT -> {
                    if (!s.isEmpty() && !s.equals("%")) {
                        throw new IllegalArgumentException("'" + suffix + "' is not a percent: write 1 or 1%");
                    }
                    return number;
                }
                default -> {
                    return number * powerOf1000(s, "a number (k, M, G: powers of 1000)");
                }
            }
        }

        private static double powerOf1000(String prefix, String what) {
            return switch (prefix) {
                case "" -> 1;
                case "k" -> 1e3;
                case "m" -> 1e6;
                case "g" -> 1e9;
                case "t" -> 1e12;
                default -> throw new IllegalArgumentException("'" + prefix + "' does not belong in " + what);
            };
        }
    }

    /**
     * Parses {@code TEST[.FIGURE] OP VALUE}. TEST is a test's name (tcp_bw, tcp_lat, tcp_crr, udp_bw, udp_lat, http);
     * FIGURE is omitted for the test's headline figure, a summary of its latency distribution (p50, p90, p99, p999
     * or p99.9, min, mean, max), or any figure's dotted JSON path in the test's result (lost_percent, rtt_us.p99,
     * failed). OP is one of {@code < <= > >=}. IllegalArgumentException, with a message for one line, if malformed.
     */
    public static Threshold parse(String text) {
        Matcher m = EXPRESSION.matcher(text.replace("p99.9", "p999"));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not TEST[.FIGURE] OP VALUE (e.g. 'tcp_bw < 9G', "
                    + "'tcp_lat.p99 > 200us', 'http.failed > 0')");
        }
        String test = m.group(1);
        if (TestKind.of(test).isEmpty()) {
            throw new IllegalArgumentException("'" + text + "': no test '" + test + "' (tcp_bw, tcp_lat, tcp_crr, udp_bw, udp_lat, http)");
        }
        String path;
        try {
            path = path(test, m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
        }
        Unit unit = Unit.of(path);
        double value;
        try {
            value = unit.convert(Double.parseDouble(m.group(4)), m.group(5));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
        }
        return new Threshold(text.trim(), test, path, Op.of(m.group(3)), value, unit);
    }

    /** The figure's JSON path in a result of {@code test}: the headline, a distribution's summary, or as given. */
    private static String path(String test, String figure) {
        if (figure == null) {
            return switch (test) {
                case "tcp_bw", "udp_bw" -> "bits_per_second";
                case "tcp_lat", "udp_lat" -> "latency_us";
                case "tcp_crr" -> "transactions_per_second";
                case "mtu" -> "path_mtu";
                default -> "requests_per_second";
            };
        }
        if (figure.startsWith(".") || figure.endsWith(".") || figure.contains("..")) {
            throw new IllegalArgumentException("'" + figure + "' is not a figure's dotted path");
        }
        if (SUMMARY.contains(figure)) {
            return switch (test) {
                case "tcp_lat", "udp_lat" -> "rtt_us.";
                case "tcp_crr" -> "transaction_us.";
                case "http" -> "latency_us.";
                default -> throw new IllegalArgumentException(test + " has no latency distribution");
            } + figure;
        }
        return figure;
    }
}
