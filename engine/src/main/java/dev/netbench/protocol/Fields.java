package dev.netbench.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of a control frame: an ordered set of string keys and string values.
 * Encoded as a u16 count, then per entry a u16-length-prefixed UTF-8 key and value.
 * Unknown keys are ignored by readers, so a newer peer can add fields without a version bump.
 */
public final class Fields {
    public static final Fields EMPTY = new Fields(Map.of());
    private static final int MAX_ENTRIES = 1024;

    private final Map<String, String> map;

    private Fields(Map<String, String> map) {
        this.map = map;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Map<String, String> asMap() {
        return map;
    }

    /** The value, or null when absent. */
    public String get(String key) {
        return map.get(key);
    }

    public String require(String key) {
        String v = map.get(key);
        if (v == null) {
            throw new ProtocolException("missing field '" + key + "'");
        }
        return v;
    }

    public long requireLong(String key) {
        String v = require(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ProtocolException("field '" + key + "' is not an integer: '" + v + "'");
        }
    }

    public double requireDouble(String key) {
        String v = require(key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ProtocolException("field '" + key + "' is not a number: '" + v + "'");
        }
    }

    /** Entries whose key starts with {@code prefix}, with the prefix removed. */
    public Fields withPrefix(String prefix) {
        Builder b = builder();
        map.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                b.put(k.substring(prefix.length()), v);
            }
        });
        return b.build();
    }

    public void encode(ByteBuf out) {
        if (map.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(map.size() + " fields exceed " + MAX_ENTRIES);
        }
        out.writeShort(map.size());
        map.forEach((k, v) -> {
            writeString(out, k);
            writeString(out, v);
        });
    }

    /** Decodes exactly the readable bytes of {@code in}; anything short, long or malformed is a ProtocolException. */
    public static Fields decode(ByteBuf in) {
        int count = readU16(in, "entry count");
        if (count > MAX_ENTRIES) {
            throw new ProtocolException("too many fields: " + count);
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String key = readString(in, "key");
            if (key.isEmpty()) {
                throw new ProtocolException("empty field key");
            }
            String value = readString(in, "value of '" + key + "'");
            if (map.put(key, value) != null) {
                throw new ProtocolException("duplicate field '" + key + "'");
            }
        }
        if (in.isReadable()) {
            throw new ProtocolException(in.readableBytes() + " trailing bytes after fields");
        }
        return new Fields(Collections.unmodifiableMap(map));
    }

    private static void writeString(ByteBuf out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("field longer than 65535 bytes");
        }
        out.writeShort(bytes.length).writeBytes(bytes);
    }

    private static int readU16(ByteBuf in, String what) {
        if (in.readableBytes() < 2) {
            throw new ProtocolException("truncated " + what);
        }
        return in.readUnsignedShort();
    }

    private static String readString(ByteBuf in, String what) {
        int len = readU16(in, "length of " + what);
        if (in.readableBytes() < len) {
            throw new ProtocolException("truncated " + what + ": " + len + " bytes announced, " + in.readableBytes() + " left");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in.nioBuffer(in.readerIndex(), len))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("invalid UTF-8 in " + what);
        } finally {
            in.skipBytes(len);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fields f && f.map.equals(map);
    }

    @Override
    public int hashCode() {
        return map.hashCode();
    }

    @Override
    public String toString() {
        return map.toString();
    }

    public static final class Builder {
        private final Map<String, String> map = new LinkedHashMap<>();

        public Builder put(String key, Object value) {
            map.put(key, String.valueOf(value));
            return this;
        }

        public Builder putAll(Fields fields, String prefix) {
            fields.map.forEach((k, v) -> map.put(prefix + k, v));
            return this;
        }

        public Fields build() {
            return new Fields(Collections.unmodifiableMap(new LinkedHashMap<>(map)));
        }
    }
}
