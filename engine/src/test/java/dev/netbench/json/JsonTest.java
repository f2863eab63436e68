package dev.netbench.json;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {
    @Test
    void parsesEveryKindOfValue() {
        Map<String, Object> m = Json.parseObject(
                " {\"a\": 1, \"b\": -2.5e3, \"c\": \"x\\\"y\\u00e9\\n\", \"d\": [true, false, null], \"e\": {}, \"f\": []} ");
        assertEquals(1L, m.get("a"));
        assertEquals(-2500.0, m.get("b"));
        assertEquals("x\"y\u00e9\n", m.get("c"));
        assertEquals(Arrays.asList(true, false, null), m.get("d"));
        assertEquals(Map.of(), m.get("e"));
        assertEquals(List.of(), m.get("f"));
        assertEquals(List.of("a", "b", "c", "d", "e", "f"), List.copyOf(m.keySet()), "keys keep their order");
    }

    @Test
    void bigIntegersBecomeDoubles() {
        assertEquals(123456789012345678L, Json.parse("123456789012345678"));
        assertEquals(1.2345678901234567e19, Json.parse("12345678901234567890"));
        assertEquals(0L, Json.parse("-0"));
    }

    @Test
    void readsBackWhatTheWriterWrote() {
        String text = new JsonWriter(true).beginObject(null).value("s", "q\"\\\t\u0001").value("d", 1.5e-5)
                .value("n", Double.NaN).beginArray("a").value(null, 3L).endArray().endObject().toString();
        Map<String, Object> m = Json.parseObject(text);
        assertEquals("q\"\\\t\u0001", m.get("s"));
        assertEquals(1.5e-5, m.get("d"));
        assertNull(m.get("n"));
        assertTrue(m.containsKey("n"));
        assertEquals(List.of(3L), m.get("a"));
    }

    @Test
    void writesTheDocumentedLayoutByteForByte() {
        JsonWriter pretty = new JsonWriter(true);
        JsonWriter compact = new JsonWriter(false);
        for (JsonWriter w : List.of(pretty, compact)) {
            w.beginObject(null).value("a", 1.0).beginObject("b").endObject().beginArray("c").endArray()
                    .beginArray("d").value(null, 1L).value(null, "x\u0001").endArray()
                    .beginObject("e").value("f", (String) null).value("g", 0.25).value("h", true).endObject().endObject();
        }
        assertEquals("{\n  \"a\": 1,\n  \"b\": {},\n  \"c\": [],\n  \"d\": [\n    1,\n    \"x\\u0001\"\n  ],\n"
                + "  \"e\": {\n    \"f\": null,\n    \"g\": 0.25,\n    \"h\": true\n  }\n}", pretty.toString());
        assertEquals("{\"a\":1,\"b\":{},\"c\":[],\"d\":[1,\"x\\u0001\"],\"e\":{\"f\":null,\"g\":0.25,\"h\":true}}",
                compact.toString());
    }

    @Test
    void rejectsMalformedText() {
        for (String bad : new String[] {"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "1e", "-", "\"abc",
                "\"a\u0001\"", "\"\\x\"", "\"\\u12\"", "tru", "nul", "{} x", "{\"a\":1,\"a\":2}", "{1:2}", "[1 2]"}) {
            assertThrows(JsonException.class, () -> Json.parse(bad), bad);
        }
        assertThrows(JsonException.class, () -> Json.parseObject("[1]"));
    }

    @Test
    void boundsNesting() {
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(ok);
    }
}
