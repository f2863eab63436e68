package dev.netbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netbench.host.Identity;
import dev.netbench.protocol.TestKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A failed run's report in the three formats: what finished, and the failing test marked partial. */
class PartialReportTest {
    private static final String ERROR = "tcp_lat with 10.0.0.7:7575 failed: connection closed during the measured window";

    private static RunReport failed() {
        Partial p = new Partial(TestKind.TCP_LAT, 1, 2, false, ERROR, 2.5, 123_456, 61_728);
        return new RunReport("0.1.0", "10.0.0.7:7575", false, Identity.local(), Identity.local(),
                new RunReport.Settings(10, 1, 2, false, "epoll"), List.of(), p, ERROR);
    }

    @Test
    void json() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(JsonReport.format(failed()));
        assertFalse(doc.get("complete").asBoolean());
        assertEquals(ERROR, doc.get("error").asText());
        JsonNode r = doc.get("results").get(0);
        assertEquals("tcp_lat", r.get("test").asText());
        assertTrue(r.get("partial").asBoolean());
        assertEquals(ERROR, r.get("error").asText());
        assertEquals(2.5, r.get("progress").get("seconds").asDouble());
        assertEquals(123_456, r.get("progress").get("bytes").asLong());
        assertEquals(61_728, r.get("progress").get("messages").asLong());
    }

    @Test
    void text() {
        String text = TextReport.format(failed());
        assertTrue(text.contains("tcp_lat: PARTIAL, did not finish: " + ERROR + "\n"), text);
        assertTrue(text.contains("no server figures"), text);
        assertTrue(text.endsWith("INCOMPLETE: " + ERROR + "\n"), text);
    }

    @Test
    void csv() {
        List<String> lines = CsvReport.format(failed()).lines().toList();
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).contains(",partial,io,samples,sample_median,ci95_low,ci95_high,"), lines.get(0));
        assertTrue(lines.get(1).startsWith("tcp_lat,1,2,false,"), lines.get(1));
        String[] row = lines.get(1).split(",", -1);
        assertEquals(CsvReport.COLUMNS.size(), row.length);
        assertEquals("true", row[CsvReport.COLUMNS.indexOf("partial")], lines.get(1));
        assertEquals("", row[CsvReport.COLUMNS.indexOf("io")], "a test that did not finish has no io");
    }

    @Test
    void aCompleteRunSaysSo() throws Exception {
        RunReport ok = new RunReport("0.1.0", "x", false, Identity.local(), null, new RunReport.Settings(1, 0, 1, false, "nio"), List.of());
        JsonNode doc = new ObjectMapper().readTree(JsonReport.format(ok));
        assertTrue(doc.get("complete").asBoolean());
        assertTrue(doc.get("error") == null);
        assertFalse(TextReport.format(ok).contains("INCOMPLETE"));
    }
}
