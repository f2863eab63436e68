package dev.netbench.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * netbench's JSON writer, on jackson-core's streaming generator: objects, arrays, strings, numbers (NaN and
 * infinities become null, whole numbers below 10^15 are written without a fraction). Pretty output indents by two
 * spaces with {@code "key": value}, one entry per line, and {@code {}} / {@code []} for empty ones.
 */
public final class JsonWriter {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final StringWriter out = new StringWriter();
    private final JsonGenerator gen;

    public JsonWriter(boolean pretty) {
        try {
            gen = FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (pretty) {
            gen.setPrettyPrinter(new TwoSpaces());
        }
    }

    public JsonWriter beginObject(String name) {
        return write(name, () -> gen.writeStartObject());
    }

    public JsonWriter beginArray(String name) {
        return write(name, () -> gen.writeStartArray());
    }

    public JsonWriter endObject() {
        return write(null, () -> gen.writeEndObject());
    }

    public JsonWriter endArray() {
        return write(null, () -> gen.writeEndArray());
    }

    public JsonWriter value(String name, String v) {
        return write(name, () -> {
            if (v == null) {
                gen.writeNull();
            } else {
                gen.writeString(v);
            }
        });
    }

    public JsonWriter value(String name, double v) {
        return write(name, () -> {
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                gen.writeNull();
            } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                gen.writeNumber((long) v);
            } else {
                gen.writeNumber(v); // Double.toString: shortest round-trip form, valid JSON (1.5E-5 included)
            }
        });
    }

    public JsonWriter value(String name, long v) {
        return write(name, () -> gen.writeNumber(v));
    }

    public JsonWriter value(String name, boolean v) {
        return write(name, () -> gen.writeBoolean(v));
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
        try {
            gen.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private interface Step {
        void run() throws IOException;
    }

    /** Writes the key ({@code name} null for array elements, the root and the ends), then the step. */
    private JsonWriter write(String name, Step step) {
        try {
            if (name != null) {
                gen.writeFieldName(name);
            }
            step.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Two-space indents, an entry per line, {@code ": "} after a key; empty objects and arrays stay on their line. */
    private static final class TwoSpaces implements PrettyPrinter {
        private int depth;

        @Override
        public void writeRootValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            open(g, '{');
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            close(g, entries, '}');
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            separator(g);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            open(g, '[');
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            close(g, values, ']');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            separator(g);
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            newline(g);
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            newline(g);
        }

        private void open(JsonGenerator g, char c) throws IOException {
            g.writeRaw(c);
            depth++;
        }

        private void separator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g);
        }

        private void close(JsonGenerator g, int entries, char c) throws IOException {
            depth--;
            if (entries > 0) {
                newline(g);
            }
            g.writeRaw(c);
        }

        private void newline(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
            g.writeRaw("  ".repeat(depth));
        }
    }
}
