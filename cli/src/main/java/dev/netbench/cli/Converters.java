package dev.netbench.cli;

import dev.netbench.client.Sizes;
import dev.netbench.gate.Threshold;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * picocli's converters for the values netbench's options take: seconds, sizes, sweeps of sizes and bit rates, in
 * one place for every command, each parsed by {@link Sizes}. A value that does not parse is picocli's usual
 * "Invalid value for option" line, with exit code 2.
 */
final class Converters {
    private Converters() {
    }

    /** Message sizes as --msg gives them: one size, or a sweep. A type of its own, so picocli takes one value. */
    record Sweep(List<Integer> sizes) {
    }

    /** A value {@link Sizes} parses; its IllegalArgumentException becomes picocli's conversion error. */
    abstract static class Parsed<T> implements ITypeConverter<T> {
        private final Function<String, T> parser;

        Parsed(Function<String, T> parser) {
            this.parser = parser;
        }

        @Override
        public T convert(String value) {
            try {
                return parser.apply(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A duration in seconds greater than zero (-t, --connect-timeout, the server's timeouts). */
    static final class Seconds extends Parsed<Duration> {
        Seconds() {
            super(v -> Sizes.parseSeconds(v, false));
        }
    }

    /** A duration in seconds, zero allowed (--warmup, -i). */
    static final class SecondsOrZero extends Parsed<Duration> {
        SecondsOrZero() {
            super(v -> Sizes.parseSeconds(v, true));
        }
    }

    /** A message size (1, 1500, 64K). */
    static final class Size extends Parsed<Integer> {
        Size() {
            super(Sizes::parseSize);
        }
    }

    /** A socket buffer size (-w: 256K, 4M). */
    static final class Window extends Parsed<Integer> {
        Window() {
            super(Sizes::parseWindow);
        }
    }

    /** A TOS byte (-S: 16, 0x10, 020). */
    static final class Tos extends Parsed<Integer> {
        Tos() {
            super(Sizes::parseTos);
        }
    }

    /** An amount of memory (256M, 1G). */
    static final class Memory extends Parsed<Long> {
        Memory() {
            super(Sizes::parseMemory);
        }
    }

    /** One message size or a sweep (1:64K:*2). */
    static final class SizeSweep extends Parsed<Sweep> {
        SizeSweep() {
            super(v -> new Sweep(Sizes.parseSweep(v)));
        }
    }

    /** -T LCPU[,RCPU], netperf's: the client's and the agent's CPU; either may be left out ("0,", ",1"). */
    record Cpus(int local, int remote) {
        static final Cpus NONE = new Cpus(-1, -1);
    }

    static final class CpuPair extends Parsed<Cpus> {
        CpuPair() {
            super(v -> {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,4})?(?:,(\\d{1,4})?)?").matcher(v.strip());
                if (!m.matches() || (m.group(1) == null && m.group(2) == null)) {
                    throw new IllegalArgumentException("'" + v + "' is not LCPU[,RCPU] (e.g. 0,1; 0 for the client only; ,1 for the agent only)");
                }
                return new Cpus(m.group(1) == null ? -1 : Integer.parseInt(m.group(1)), m.group(2) == null ? -1 : Integer.parseInt(m.group(2)));
            });
        }
    }

    /** A --fail-if threshold: TEST[.FIGURE] OP VALUE. */
    static final class FailIf extends Parsed<Threshold> {
        FailIf() {
            super(Threshold::parse);
        }
    }

    /** A percentage, 0 or more: 5%, 5, 2.5%. */
    static final class Percent extends Parsed<Double> {
        Percent() {
            super(v -> {
                String text = v.strip();
                String number = text.endsWith("%") ? text.substring(0, text.length() - 1).strip() : text;
                double p;
                try {
                    p = Double.parseDouble(number);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + v + "' is not a percentage (5%, 2.5)");
                }
                if (!(p >= 0) || Double.isInfinite(p)) {
                    throw new IllegalArgumentException("'" + v + "': a percentage of 0 or more");
                }
                return p;
            });
        }
    }

    /** Bits per second (100M, 1G; 0: as fast as the socket takes). */
    static final class Bitrate extends Parsed<Long> {
        Bitrate() {
            super(Sizes::parseBitrate);
        }
    }

    /** Seconds as a user would write them back: 5, 0.3. */
    static String format(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
    }

    /** A size as a user would write it back: 262144 as 256K, 1048576 as 1M, 1500 as 1500. */
    static String format(int bytes) {
        if (bytes > 0 && bytes % (1 << 20) == 0) {
            return bytes / (1 << 20) + "M";
        }
        return bytes > 0 && bytes % 1024 == 0 ? bytes / 1024 + "K" : String.valueOf(bytes);
    }

}
