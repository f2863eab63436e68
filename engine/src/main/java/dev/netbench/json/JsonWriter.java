package dev.netbench.json;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A minimal streaming JSON writer: objects, arrays, strings, numbers (NaN and infinities become null). */
public final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    private final String indentUnit;
    private int depth;
    private boolean first = true;

    public JsonWriter(boolean pretty) {
        indentUnit = pretty ? "  " : null;
    }

    public JsonWriter beginObject(String name) {
        key(name);
        out.append('{');
        depth++;
        first = true;
        return this;
    }

    public JsonWriter beginArray(String name) {
        key(name);
        out.append('[');
        depth++;
        first = true;
        return this;
    }

    public JsonWriter endObject() {
        return close('}');
    }

    public JsonWriter endArray() {
        return close(']');
    }

    public JsonWriter value(String name, String v) {
        key(name);
        if (v == null) {
            out.append("null");
        } else {
            string(v);
        }
        return this;
    }

    public JsonWriter value(String name, double v) {
        key(name);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            out.append("null");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            out.append((long) v);
        } else {
            out.append(v); // Double.toString: shortest round-trip form, valid JSON (1.5E-5 included)
        }
        return this;
    }

    public JsonWriter value(String name, long v) {
        key(name);
        out.append(v);
        return this;
    }

    public JsonWriter value(String name, boolean v) {
        key(name);
        out.append(v);
        return this;
    }

    /** A value as {@link Json} parses one: a Map, List, String, Long, Double, Boolean or null, written back as it was. */
    public JsonWriter parsed(String name, Object v) {
        if (v instanceof Map<?, ?> m) {
            beginObject(name);
            m.forEach((k, e) -> parsed(String.valueOf(k), e));
            return endObject();
        }
        if (v instanceof List<?> l) {
            beginArray(name);
            l.forEach(e -> parsed(null, e));
            return endArray();
        }
        return v instanceof Long l ? value(name, (long) l) : v instanceof Number n ? value(name, n.doubleValue())
                : v instanceof Boolean b ? value(name, (boolean) b) : value(name, v == null ? null : v.toString());
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private JsonWriter close(char c) {
        depth--;
        if (!first) {
            newline();
        }
        out.append(c);
        first = false;
        return this;
    }

    /** Writes the separator and, inside an object, the key; {@code name} null for array elements and the root. */
    private void key(String name) {
        if (!first) {
            out.append(',');
        }
        if (depth > 0) {
            newline();
        }
        first = false;
        if (name != null) {
            string(name);
            out.append(indentUnit != null ? ": " : ":");
        }
    }

    private void newline() {
        if (indentUnit != null) {
            out.append('\n').append(indentUnit.repeat(depth));
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
