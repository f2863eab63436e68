package dev.netbench.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldsTest {

    private static ByteBuf encode(Fields f) {
        ByteBuf buf = Unpooled.buffer();
        f.encode(buf);
        return buf;
    }

    @Test
    void roundTripKeepsOrderAndUnicode() {
        Fields f = Fields.builder().put("b", 2).put("a", "x").put("cpu_model", "Ärger CPU @ 3 GHz \uFFFD 😀").put("empty", "").build();
        Fields back = Fields.decode(encode(f));
        assertEquals(f, back);
        assertEquals(java.util.List.of("b", "a", "cpu_model", "empty"), java.util.List.copyOf(back.asMap().keySet()));
        assertEquals(2, back.requireLong("b"));
    }

    @Test
    void everyTruncationIsRejected() {
        ByteBuf full = encode(Fields.builder().put("key", "value").put("k2", "v2").build());
        for (int len = 0; len < full.readableBytes(); len++) {
            ByteBuf cut = full.slice(0, len);
            assertThrows(ProtocolException.class, () -> Fields.decode(cut), "length " + len);
        }
    }

    @Test
    void trailingBytesAreRejected() {
        ByteBuf buf = encode(Fields.builder().put("k", "v").build()).writeByte(0);
        ProtocolException e = assertThrows(ProtocolException.class, () -> Fields.decode(buf));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    @Test
    void duplicateAndEmptyKeysAreRejected() {
        ByteBuf dup = Unpooled.buffer().writeShort(2);
        for (int i = 0; i < 2; i++) {
            dup.writeShort(1).writeByte('k').writeShort(1).writeByte('v');
        }
        assertThrows(ProtocolException.class, () -> Fields.decode(dup));
        ByteBuf empty = Unpooled.buffer().writeShort(1).writeShort(0).writeShort(1).writeByte('v');
        assertThrows(ProtocolException.class, () -> Fields.decode(empty));
    }

    @Test
    void tooManyEntriesAndInvalidUtf8AreRejected() {
        assertThrows(ProtocolException.class, () -> Fields.decode(Unpooled.buffer().writeShort(65535)));
        ByteBuf bad = Unpooled.buffer().writeShort(1).writeShort(1).writeByte(0xC3).writeShort(0);
        assertThrows(ProtocolException.class, () -> Fields.decode(bad));
    }

    @Test
    void encodingRefusesWhatDecodingWouldReject() {
        Fields.Builder b = Fields.builder();
        for (int i = 0; i < 1025; i++) {
            b.put("k" + i, "");
        }
        assertThrows(IllegalArgumentException.class, () -> encode(b.build()));
    }

    @Test
    void typedGettersExplainBadValues() {
        Fields f = Fields.builder().put("n", "12x").build();
        ProtocolException e = assertThrows(ProtocolException.class, () -> f.requireLong("n"));
        assertTrue(e.getMessage().contains("'n'"));
        assertThrows(ProtocolException.class, () -> f.require("missing"));
        assertEquals("12x".getBytes(StandardCharsets.UTF_8).length, f.get("n").length());
    }

    @Test
    void prefixSelectsAndStrips() {
        Fields f = Fields.builder().put("k8s.NODE_NAME", "n1").put("hostname", "h").build();
        assertEquals(java.util.Map.of("NODE_NAME", "n1"), f.withPrefix("k8s.").asMap());
    }
}
