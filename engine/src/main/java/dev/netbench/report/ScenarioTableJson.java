package dev.netbench.report;

import dev.netbench.confidence.Summary;
import dev.netbench.json.Json;
import dev.netbench.json.JsonException;
import dev.netbench.json.JsonWriter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjIntConsumer;

/**
 * A {@link ScenarioTable} as JSON, and back (the shape is in docs/metrics.md, "Scenario table JSON"):
 * <pre>
 * { "tool": "netbench", "version", "schema_version", "title", "baseline",
 *   "columns":   [ { "key", "label", "unit", "higher_is_better" } ],
 *   "scenarios": [ { "scenario", "label", "source", "target",
 *                    "values": { "&lt;column key&gt;": number or null },
 *                    "errors": { "&lt;column key&gt;": "why there is no value" },
 *                    "samples": { "&lt;column key&gt;": [ number or null, ... ] },   (matrix --repeat only)
 *                    "ci95": { "&lt;column key&gt;": [ low, high ] } } ] }
 * </pre>
 * Every column has an entry in {@code values}; a failed cell's value is null and its reason is in {@code errors}
 * (which lists failed cells only). A value that is null without an error is a cell measured as NaN.
 * {@link #writeFields} lets a document carry the table beside fields of its own; {@link #read} ignores fields it
 * does not know.
 */
public final class ScenarioTableJson {
    private ScenarioTableJson() {
    }

    /** A whole document: tool, version, then the table's fields. */
    public static String format(ScenarioTable table, String version) {
        JsonWriter w = new JsonWriter(true);
        w.beginObject(null).value("tool", "netbench").value("version", version)
                .value("schema_version", JsonReport.SCHEMA_VERSION);
        writeFields(w, table);
        w.endObject();
        return w + "\n";
    }

    /**
     * Writes {@code title}, {@code baseline}, {@code columns} and {@code scenarios} into the object {@code w} has
     * open. Column keys must be distinct (they name the cells).
     */
    public static void writeFields(JsonWriter w, ScenarioTable table) {
        writeFields(w, table, (out, row) -> { });
    }

    /** The same, with fields of the document's own in each scenario's object: {@code more} writes them for row n. */
    public static void writeFields(JsonWriter w, ScenarioTable table, ObjIntConsumer<JsonWriter> more) {
        Set<String> keys = new HashSet<>();
        for (ScenarioTable.Column c : table.columns()) {
            if (c.key() == null || !keys.add(c.key())) {
                throw new IllegalArgumentException("column keys must be distinct and non-null: " + c.key());
            }
        }
        w.value("title", table.title()).value("baseline", table.baseline());
        w.beginArray("columns");
        for (ScenarioTable.Column c : table.columns()) {
            w.beginObject(null)
                    .value("key", c.key())
                    .value("label", c.label())
                    .value("unit", c.unit())
                    .value("higher_is_better", c.higherIsBetter())
                    .endObject();
        }
        w.endArray();
        w.beginArray("scenarios");
        for (int n = 0; n < table.rows().size(); n++) {
            ScenarioTable.Row r = table.rows().get(n);
            w.beginObject(null)
                    .value("scenario", r.scenario())
                    .value("label", r.label())
                    .value("source", r.source())
                    .value("target", r.target());
            w.beginObject("values");
            for (int i = 0; i < table.columns().size(); i++) {
                w.value(table.columns().get(i).key(), r.cells().get(i).value());
            }
            w.endObject();
            w.beginObject("errors");
            for (int i = 0; i < table.columns().size(); i++) {
                ScenarioTable.Cell cell = r.cells().get(i);
                if (!cell.ok()) {
                    w.value(table.columns().get(i).key(), cell.error());
                }
            }
            w.endObject();
            if (r.cells().stream().anyMatch(c -> c.note() != null)) {
                w.beginObject("notes");
                for (int i = 0; i < table.columns().size(); i++) {
                    String note = r.cells().get(i).note();
                    if (note != null) {
                        w.value(table.columns().get(i).key(), note);
                    }
                }
                w.endObject();
            }
            if (r.cells().stream().anyMatch(c -> !c.samples().isEmpty())) {
                // matrix --repeat: each cell's samples in the order measured, and the 95 % interval of their mean
                w.beginObject("samples");
                for (int i = 0; i < table.columns().size(); i++) {
                    List<Double> samples = r.cells().get(i).samples();
                    if (!samples.isEmpty()) {
                        w.beginArray(table.columns().get(i).key());
                        samples.forEach(v -> w.value(null, v));
                        w.endArray();
                    }
                }
                w.endObject().beginObject("ci95");
                for (int i = 0; i < table.columns().size(); i++) {
                    Summary m = r.cells().get(i).summary();
                    if (m != null) {
                        w.beginArray(table.columns().get(i).key()).value(null, m.ci95Low()).value(null, m.ci95High()).endArray();
                    }
                }
                w.endObject();
            }
            more.accept(w, n);
            w.endObject();
        }
        w.endArray();
    }

    /** True if the document carries a scenario table (it has {@code columns} and {@code scenarios} arrays). */
    public static boolean isScenarioTable(Map<String, Object> doc) {
        return doc.get("scenarios") instanceof List && doc.get("columns") instanceof List;
    }

    /** Parses a whole document written by {@link #format} (or any object holding the table's fields). */
    public static ScenarioTable parse(String text) {
        return read(Json.parseObject(text));
    }

    /**
     * Reads the table's fields from a parsed object. Malformed input throws {@link JsonException} naming the place
     * (e.g. {@code scenarios[2].values.tcp_bw}).
     */
    public static ScenarioTable read(Map<String, Object> doc) {
        List<Object> cols = list(doc, "columns", "");
        List<ScenarioTable.Column> columns = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < cols.size(); i++) {
            String at = "columns[" + i + "]";
            Map<String, Object> c = object(cols.get(i), at);
            String key = requiredString(c, "key", at);
            if (!keys.add(key)) {
                throw new JsonException(at + ".key: \"" + key + "\" appears twice");
            }
            Object hib = c.get("higher_is_better");
            if (!(hib instanceof Boolean)) {
                throw new JsonException(at + ".higher_is_better: expected true or false");
            }
            columns.add(new ScenarioTable.Column(key, string(c, "label", at), string(c, "unit", at), (Boolean) hib));
        }
        List<Object> scen = list(doc, "scenarios", "");
        List<ScenarioTable.Row> rows = new ArrayList<>();
        for (int i = 0; i < scen.size(); i++) {
            String at = "scenarios[" + i + "]";
            Map<String, Object> r = object(scen.get(i), at);
            Map<String, Object> values = object(r.get("values"), at + ".values");
            Map<String, Object> errors = r.get("errors") == null ? Map.of() : object(r.get("errors"), at + ".errors");
            Map<String, Object> notes = r.get("notes") == null ? Map.of() : object(r.get("notes"), at + ".notes");
            Map<String, Object> samples = r.get("samples") == null ? Map.of() : object(r.get("samples"), at + ".samples");
            for (String k : samples.keySet()) {
                if (!keys.contains(k)) {
                    throw new JsonException(at + ".samples." + k + ": no such column");
                }
            }
            for (String k : values.keySet()) {
                if (!keys.contains(k)) {
                    throw new JsonException(at + ".values." + k + ": no such column");
                }
            }
            for (String k : errors.keySet()) {
                if (!keys.contains(k)) {
                    throw new JsonException(at + ".errors." + k + ": no such column");
                }
            }
            List<ScenarioTable.Cell> cells = new ArrayList<>();
            for (ScenarioTable.Column c : columns) {
                String where = at + ".values." + c.key();
                if (!values.containsKey(c.key())) {
                    throw new JsonException(where + ": missing (null if there is no value)");
                }
                Object v = values.get(c.key());
                Object e = errors.get(c.key());
                if (e != null) {
                    if (!(e instanceof String s)) {
                        throw new JsonException(at + ".errors." + c.key() + ": expected a string");
                    }
                    if (v != null) {
                        throw new JsonException(where + ": a failed cell has no value");
                    }
                    cells.add(ScenarioTable.Cell.failed(s));
                } else if (v == null) {
                    cells.add(notes.get(c.key()) instanceof String note ? ScenarioTable.Cell.notApplicable(note)
                            : ScenarioTable.Cell.of(Double.NaN));
                } else if (v instanceof Number n) {
                    List<Double> sampled = samples(samples.get(c.key()), at + ".samples." + c.key());
                    cells.add(new ScenarioTable.Cell(n.doubleValue(), null, null, sampled));
                } else {
                    throw new JsonException(where + ": expected a number or null");
                }
            }
            rows.add(new ScenarioTable.Row(requiredString(r, "scenario", at), string(r, "label", at),
                    string(r, "source", at), string(r, "target", at), cells));
        }
        return new ScenarioTable(string(doc, "title", ""), columns, rows, string(doc, "baseline", ""));
    }

    /** A cell's samples: absent (measured once) or an array of numbers and nulls (a sample not measured: NaN). */
    private static List<Double> samples(Object v, String at) {
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new JsonException(at + ": expected an array");
        }
        List<Double> out = new ArrayList<>();
        for (Object o : l) {
            if (o != null && !(o instanceof Number)) {
                throw new JsonException(at + ": expected numbers or null");
            }
            out.add(o == null ? Double.NaN : ((Number) o).doubleValue());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> m, String name, String at) {
        Object v = m.get(name);
        if (!(v instanceof List)) {
            throw new JsonException(path(at, name) + ": expected an array");
        }
        return (List<Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String at) {
        if (!(v instanceof Map)) {
            throw new JsonException(at + ": expected an object");
        }
        return (Map<String, Object>) v;
    }

    private static String string(Map<String, Object> m, String name, String at) {
        Object v = m.get(name);
        if (v != null && !(v instanceof String)) {
            throw new JsonException(path(at, name) + ": expected a string or null");
        }
        return (String) v;
    }

    private static String requiredString(Map<String, Object> m, String name, String at) {
        String s = string(m, name, at);
        if (s == null) {
            throw new JsonException(path(at, name) + ": missing");
        }
        return s;
    }

    private static String path(String at, String name) {
        return at.isEmpty() ? name : at + "." + name;
    }
}
