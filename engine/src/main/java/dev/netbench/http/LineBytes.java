package dev.netbench.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** The byte scans {@link ResponseParser} runs over a line of a response's head: ASCII, no allocation. */
final class LineBytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private LineBytes() {
    }

    /**
     * The index of the first byte in {@code line[from, to)} equal to the one {@code repeated} holds in each of its
     * eight bytes, or -1; eight bytes a step, as most lines and header names are longer than a few.
     */
    static int indexOf(byte[] line, long repeated, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            // SWAR: a byte of x is zero where the line has the byte sought; the lowest flagged byte is the first
            long x = (long) LONGS.get(line, i) ^ repeated;
            long zero = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        byte b = (byte) repeated;
        for (; i < to; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The first byte of a header value that is not optional whitespace. */
    static int valueStart(byte[] line, int from, int end) {
        while (from < end && (line[from] == ' ' || line[from] == '\t')) {
            from++;
        }
        return from;
    }

    /** The end of a header value without its trailing whitespace. */
    static int valueEnd(byte[] line, int v, int end) {
        while (end > v && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        return end;
    }

    static boolean startsWith(byte[] line, int o, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (line[o + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Case-insensitive match of the header name at {@code line[o]} against a lower-case name of its length. */
    static boolean nameIs(byte[] line, int o, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            int c = line[o + i];
            if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    /** True when the comma-separated value {@code line[from, to)} holds {@code token}, case-insensitively. */
    static boolean containsToken(byte[] line, int from, int to, String token) {
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || line[i] == ',') {
                int s = start;
                int e = i;
                while (s < e && line[s] == ' ') {
                    s++;
                }
                while (e > s && line[e - 1] == ' ') {
                    e--;
                }
                if (e - s == token.length()) {
                    boolean same = true;
                    for (int k = 0; k < token.length() && same; k++) {
                        int c = line[s + k];
                        same = (c >= 'A' && c <= 'Z' ? c + 32 : c) == token.charAt(k);
                    }
                    if (same) {
                        return true;
                    }
                }
                start = i + 1;
            }
        }
        return false;
    }
}
