package dev.netbench.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON parser for the documents netbench reads back: saved results, peers' parameters.
 * Values become {@code Map<String,Object>} (insertion-ordered, unmodifiable), {@code List<Object>}, {@code String},
 * {@code Long} (integers that fit), {@code Double}, {@code Boolean} or {@code null}. Nesting is bounded so hostile
 * input cannot exhaust the stack; the caller bounds the length.
 */
public final class Json {
    static final int MAX_DEPTH = 64;

    private final String s;
    private final boolean lastDuplicateWins;
    private int pos;
    private int depth;

    private Json(String s, boolean lastDuplicateWins) {
        this.s = s;
        this.lastDuplicateWins = lastDuplicateWins;
    }

    /** Parses one JSON value spanning the whole text (surrounding whitespace allowed). */
    public static Object parse(String text) {
        return parse(text, false);
    }

    /**
     * As {@link #parseObject}, but a key repeated in one object keeps its last value, as most parsers do: for
     * documents of other programs that repeat keys (iperf3 3.12's -J output repeats {@code sock_bufsize}).
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObjectLastDuplicateWins(String text) {
        Object v = parse(text, true);
        if (!(v instanceof Map)) {
            throw new JsonException("expected a JSON object at the top level");
        }
        return (Map<String, Object>) v;
    }

    private static Object parse(String text, boolean lastDuplicateWins) {
        Json p = new Json(text, lastDuplicateWins);
        p.ws();
        Object v = p.value();
        p.ws();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the value");
        }
        return v;
    }

    /** Parses a document whose root must be an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new JsonException("expected a JSON object at the top level");
        }
        return (Map<String, Object>) v;
    }

    private Object value() {
        if (pos >= s.length()) {
            throw error("unexpected end of input");
        }
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + printable(c) + "'");
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        pos++;
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
            pos++;
            depth--;
            return Collections.unmodifiableMap(m);
        }
        while (true) {
            ws();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            String key = string();
            ws();
            expect(':');
            ws();
            Object v = value();
            if (m.containsKey(key) && !lastDuplicateWins) {
                throw error("duplicate key \"" + key + "\"");
            }
            m.put(key, v);
            ws();
            char c = next();
            if (c == '}') {
                depth--;
                return Collections.unmodifiableMap(m);
            }
            if (c != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array() {
        enter();
        pos++;
        List<Object> l = new ArrayList<>();
        ws();
        if (peek() == ']') {
            pos++;
            depth--;
            return Collections.unmodifiableList(l);
        }
        while (true) {
            ws();
            l.add(value());
            ws();
            char c = next();
            if (c == ']') {
                depth--;
                return Collections.unmodifiableList(l);
            }
            if (c != ',') {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw error("control character in a string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) {
                        throw error("truncated \\u escape");
                    }
                    int cp = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(s.charAt(pos++), 16);
                        if (d < 0) {
                            throw error("bad \\u escape");
                        }
                        cp = cp * 16 + d;
                    }
                    b.append((char) cp);
                }
                default -> throw error("bad escape '\\" + printable(e) + "'");
            }
        }
    }

    private Object number() {
        int start = pos;
        boolean integral = true;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("bad number");
        }
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("bad number: no digits after '.'");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("bad number: no exponent digits");
            }
            digits();
        }
        String text = s.substring(start, pos);
        if (integral && text.length() <= 18) {
            return Long.parseLong(text);
        }
        return Double.parseDouble(text);
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) {
            throw error("unexpected literal");
        }
        pos += word.length();
        return v;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
    }

    private void ws() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private char next() {
        if (pos >= s.length()) {
            throw error("unexpected end of input");
        }
        return s.charAt(pos++);
    }

    private void expect(char c) {
        if (next() != c) {
            throw error("expected '" + c + "'");
        }
    }

    private JsonException error(String what) {
        return new JsonException(what + " at offset " + pos);
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
