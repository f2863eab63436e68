package dev.netbench.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON documents netbench reads back (saved results, peers' parameters, iperf3's -J output) with
 * jackson-core's streaming parser, strict RFC 8259 (no comments, trailing commas, NaN or leading zeros). Values
 * become {@code Map<String,Object>} (insertion-ordered, unmodifiable), {@code List<Object>}, {@code String},
 * {@code Long} (integers that fit), {@code Double}, {@code Boolean} or {@code null}. Nesting is bounded
 * ({@link StreamReadConstraints}) so hostile input cannot exhaust the stack; the caller bounds the length.
 */
public final class Json {
    static final int MAX_DEPTH = 64;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private Json() {
    }

    /** Parses one JSON value spanning the whole text (surrounding whitespace allowed); a repeated key is an error. */
    public static Object parse(String text) {
        return parse(text, false);
    }

    /** Parses a document whose root must be an object. */
    public static Map<String, Object> parseObject(String text) {
        return object(parse(text, false));
    }

    /**
     * As {@link #parseObject}, but a key repeated in one object keeps its last value, as most parsers do: for
     * documents of other programs that repeat keys (iperf3 3.12's -J output repeats {@code sock_bufsize}).
     */
    public static Map<String, Object> parseObjectLastDuplicateWins(String text) {
        return object(parse(text, true));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v) {
        if (!(v instanceof Map)) {
            throw new JsonException("expected a JSON object at the top level");
        }
        return (Map<String, Object>) v;
    }

    private static Object parse(String text, boolean lastDuplicateWins) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new JsonException("unexpected end of input");
            }
            Object v = value(p, first, lastDuplicateWins);
            if (p.nextToken() != null) {
                throw new JsonException("unexpected text after the value at offset " + p.currentTokenLocation().getCharOffset());
            }
            return v;
        } catch (StreamConstraintsException e) {
            throw new JsonException(e.getOriginalMessage().contains("depth")
                    ? "nested deeper than " + MAX_DEPTH : e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new JsonException(e.getOriginalMessage() + " at offset "
                    + (e.getLocation() != null ? e.getLocation().getCharOffset() : -1));
        } catch (IOException e) {
            throw new JsonException(e.getMessage());
        }
    }

    private static Object value(JsonParser p, JsonToken t, boolean lastDuplicateWins) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
                    if (m.containsKey(key) && !lastDuplicateWins) {
                        throw new JsonException("duplicate key \"" + key + "\" at offset " + p.currentTokenLocation().getCharOffset());
                    }
                    m.put(key, value(p, p.nextToken(), lastDuplicateWins));
                }
                yield Collections.unmodifiableMap(m);
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    l.add(value(p, e, lastDuplicateWins));
                }
                yield Collections.unmodifiableList(l);
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? (Object) p.getDoubleValue()
                    : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new JsonException("unexpected " + t + " at offset " + p.currentTokenLocation().getCharOffset());
        };
    }
}
