package dev.netbench.report;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/metrics.md names the CSV columns in the order --csv writes them: a renamed or added column changes both. */
class CsvColumnsDocumentedTest {
    @Test
    void theDocsListTheColumnsInOrder() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "metrics.md"));
        String marker = "with the columns `";
        int start = docs.indexOf(marker, docs.indexOf("\n## CSV\n")) + marker.length();
        String list = docs.substring(start, docs.indexOf('`', start));
        List<String> documented = Arrays.stream(list.split(",")).map(String::strip).toList();
        assertEquals(CsvReport.COLUMNS, documented);
    }
}
