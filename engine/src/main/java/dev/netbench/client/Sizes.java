package dev.netbench.client;

import dev.netbench.protocol.Protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Message sizes and sweeps in qperf's syntax. A size is a whole number with an optional suffix:
 * K = 1024, k = 1000, M = 1024², m = 10⁶ (so {@code 64K} = 65536). A sweep is {@code START:END:*FACTOR}
 * (geometric) or {@code START:END:+STEP} (arithmetic); {@code START:END} means {@code *2}. END is included
 * when the progression reaches it exactly.
 */
public final class Sizes {
    public static final int MAX_SWEEP_POINTS = 1000;

    private Sizes() {
    }

    public static int parseSize(String text) {
        return parseSize(text, Protocol.MAX_MESSAGE_SIZE);
    }

    /** A socket buffer size (-w): as {@link #parseSize(String)}, up to 1 GiB. */
    public static int parseWindow(String text) {
        return parseSize(text, 1 << 30);
    }

    /**
     * A TOS byte (-S) as iperf3 reads it: decimal, 0x hexadecimal or 0-prefixed octal (16, 0x10, 020), 0..255.
     */
    public static int parseTos(String text) {
        int value;
        try {
            value = Integer.decode(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a TOS value (decimal, 0x hex or 0 octal: 16, 0x10, 020)");
        }
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("TOS '" + text + "' outside 0..255 (0xff)");
        }
        return value;
    }

    private static int parseSize(String text, int max) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty size");
        }
        long multiplier = switch (s.charAt(s.length() - 1)) {
            case 'K' -> 1024L;
            case 'k' -> 1000L;
            case 'M' -> 1024L * 1024;
            case 'm' -> 1_000_000L;
            default -> 1L;
        };
        String digits = multiplier == 1 ? s : s.substring(0, s.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 12) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 1, 1500, 64K, 1M)");
        }
        long value = Long.parseLong(digits) * multiplier;
        if (value < 1 || value > max) {
            throw new IllegalArgumentException("size '" + text + "' outside 1 B.." + max / (1024 * 1024) + "M");
        }
        return (int) value;
    }

    /**
     * An amount of memory: a whole number of bytes with an optional K, M or G suffix, binary in either case
     * (256M = 256 MiB), from 1 byte to 1 TiB.
     */
    public static long parseMemory(String text) {
        String s = text.trim();
        long multiplier = s.isEmpty() ? 1 : switch (Character.toUpperCase(s.charAt(s.length() - 1))) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1L;
        };
        String digits = multiplier == 1 ? s : s.substring(0, s.length() - 1);
        if (digits.isEmpty() || digits.length() > 13 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + text + "' is not an amount of memory (examples: 64M, 1G, 1048576)");
        }
        long value = Long.parseLong(digits);
        if (value < 1 || value > (1L << 40) / multiplier) {
            throw new IllegalArgumentException("'" + text + "' is outside 1 B..1 TiB");
        }
        return value * multiplier;
    }

    /** A single size or a sweep, in increasing order. */
    public static List<Integer> parseSweep(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length == 1) {
            return List.of(parseSize(parts[0]));
        }
        if (parts.length > 3) {
            throw new IllegalArgumentException("'" + text + "' is not a sweep (START:END:*FACTOR or START:END:+STEP, e.g. 1:64K:*2)");
        }
        int start = parseSize(parts[0]);
        int end = parseSize(parts[1]);
        if (end < start) {
            throw new IllegalArgumentException("sweep '" + text + "' ends before it starts");
        }
        String step = parts.length == 3 ? parts[2].trim() : "*2";
        if (step.length() < 2 || (step.charAt(0) != '*' && step.charAt(0) != '+')) {
            throw new IllegalArgumentException("sweep step '" + step + "' must be *FACTOR or +STEP (e.g. *2, +1K)");
        }
        boolean geometric = step.charAt(0) == '*';
        long by = geometric ? parseFactor(step.substring(1)) : parseSize(step.substring(1));
        List<Integer> sizes = new ArrayList<>();
        for (long s = start; s <= end; s = geometric ? s * by : s + by) {
            if (sizes.size() == MAX_SWEEP_POINTS) {
                throw new IllegalArgumentException("sweep '" + text + "' has more than " + MAX_SWEEP_POINTS + " sizes");
            }
            sizes.add((int) s);
        }
        return List.copyOf(sizes);
    }

    private static long parseFactor(String s) {
        if (s.isEmpty() || s.length() > 6 || !s.chars().allMatch(Character::isDigit) || Long.parseLong(s) < 2) {
            throw new IllegalArgumentException("sweep factor '*" + s + "' must be a whole number of at least 2");
        }
        return Long.parseLong(s);
    }

    /**
     * Parses a bit rate as iperf3's -b does: a number with an optional k, M, G or T suffix, decimal in either
     * case (100M = 10⁸ bit/s); 0 means unpaced.
     */
    public static long parseBitrate(String text) {
        String s = text.trim();
        double multiplier = 1;
        if (!s.isEmpty()) {
            switch (Character.toLowerCase(s.charAt(s.length() - 1))) {
                case 'k' -> multiplier = 1e3;
                case 'm' -> multiplier = 1e6;
                case 'g' -> multiplier = 1e9;
                case 't' -> multiplier = 1e12;
                default -> {
                }
            }
        }
        String number = multiplier == 1 ? s : s.substring(0, s.length() - 1);
        double value;
        try {
            value = number.matches("[0-9]+(\\.[0-9]+)?") ? Double.parseDouble(number) * multiplier : -1;
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0 || value > 1e12) {
            throw new IllegalArgumentException("'" + text + "' is not a bit rate from 0 to 1T (examples: 0, 100M, 2.5G)");
        }
        return Math.round(value);
    }

    /** Parses seconds ("10", "0.5"); {@code allowZero} for warm-up and interval. */
    public static java.time.Duration parseSeconds(String text, boolean allowZero) {
        double seconds;
        try {
            seconds = Double.parseDouble(text.trim().toLowerCase(Locale.ROOT).replaceFirst("s$", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number of seconds");
        }
        if (Double.isNaN(seconds) || seconds < 0 || (!allowZero && seconds < 0.001) || (seconds > 0 && seconds < 0.001) || seconds > 86400) {
            throw new IllegalArgumentException("'" + text + "' seconds out of range (" + (allowZero ? "0 or " : "") + "0.001 to 86400)");
        }
        return java.time.Duration.ofNanos(Math.round(seconds * 1e9));
    }
}
