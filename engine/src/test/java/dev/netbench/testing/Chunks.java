package dev.netbench.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The ways a fuzz test splits one byte stream into reads, to check that a parser does not care where reads end. */
public final class Chunks {
    private Chunks() {
    }

    /** Byte by byte for the first 64 bytes then the rest at once; reads of 3; reads of 64; halves. */
    public static List<List<byte[]>> splits(byte[] stream) {
        List<byte[]> first = new ArrayList<>();
        int head = Math.min(64, stream.length);
        for (int i = 0; i < head; i++) {
            first.add(new byte[]{stream[i]});
        }
        if (head < stream.length) {
            first.add(Arrays.copyOfRange(stream, head, stream.length));
        }
        return List.of(first, fixed(stream, 3), fixed(stream, 64), fixed(stream, Math.max(1, (stream.length + 1) / 2)));
    }

    public static List<byte[]> fixed(byte[] stream, int size) {
        List<byte[]> reads = new ArrayList<>();
        for (int i = 0; i < stream.length; i += size) {
            reads.add(Arrays.copyOfRange(stream, i, Math.min(stream.length, i + size)));
        }
        return reads;
    }
}
