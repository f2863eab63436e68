package dev.netbench.cli;

import dev.netbench.cli.Cli.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

import static dev.netbench.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code client --report} and {@code netbench report}, as a user meets them. */
class ReportCommandTest {
    @TempDir
    Path dir;


    @Test
    void clientReportEqualsTheReportOfItsJson() throws Exception {
        Path live = dir.resolve("live.html");
        Run r = run("client", "--tcp-lat", "--msg", "1:4:*2", "-t", "0.2", "--warmup", "0", "--json", "--report", live.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("report: " + live), r.err());
        Path json = dir.resolve("result.json");
        Files.writeString(json, r.out());
        Path saved = dir.resolve("saved.html");
        Run rep = run("report", json.toString(), "-o", saved.toString());
        assertEquals(0, rep.code(), rep.err());
        assertEquals("", rep.out() + rep.err());
        String html = Files.readString(saved);
        assertEquals(Files.readString(live), html, "the same figures, the same report");
        assertTrue(html.contains("data-kind=\"sweep-latency\""));
        for (String size : new String[]{"1", "2", "4"}) {
            assertTrue(html.contains("class=\"point\" data-x=\"" + size + "\""), "a point at " + size + " B");
        }
        assertTrue(Files.getPosixFilePermissions(saved).contains(PosixFilePermission.OTHERS_READ), "an ordinary file, not a private temp");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(), "no temporary left behind");
        }
    }

    @Test
    void reportToStdoutAndOfAScenarioTable() throws Exception {
        Path t = dir.resolve("calico.json");
        Files.writeString(t, """
                {"tool": "netbench", "version": "0.1.0", "title": "m", "baseline": "nn",
                 "columns": [{"key": "bw", "label": "bw", "unit": "bit/s", "higher_is_better": true}],
                 "scenarios": [{"scenario": "nn", "values": {"bw": 1e9}}, {"scenario": "pp", "values": {"bw": 5e8}}]}""");
        Run r = run("report", t.toString(), "-o", "-");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("<!DOCTYPE html>"));
        assertTrue(r.out().contains("−50.0 % · worse"), r.out());
    }

    @Test
    void problemsGiveOneLine() throws Exception {
        Path notJson = dir.resolve("x.json");
        Files.writeString(notJson, "hello");
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"a\": 1}");
        String out = dir.resolve("o.html").toString();
        Object[][] cases = {
                {new String[]{"report", dir.resolve("missing.json").toString(), "-o", out}, 1, "cannot read"},
                {new String[]{"report", notJson.toString(), "-o", out}, 1, "x.json: not a JSON document"},
                {new String[]{"report", other.toString(), "-o", out}, 1, "other: neither a client result"},
                {new String[]{"report", other.toString()}, 2, "Missing required option"},
                {new String[]{"report", "-o", out}, 2, "Missing required parameter"},
                {new String[]{"report", other.toString(), "-o", dir.resolve("no/such/dir/o.html").toString()}, 2, "no directory"},
                {new String[]{"report", other.toString(), "-o", dir.toString()}, 2, "is a directory"},
                {new String[]{"report", "-", "-", "-o", out}, 2, "stdin ('-') can be read once"},
                {new String[]{"client", "--report", dir.resolve("no/such/o.html").toString()}, 2, "--report: no directory"},
        };
        for (Object[] c : cases) {
            Run r = run((String[]) c[0]);
            String what = String.join(" ", (String[]) c[0]);
            assertEquals(c[1], r.code(), what + ": " + r.err());
            assertTrue(r.err().startsWith("netbench: ") && r.err().contains((String) c[2]), what + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), what + ": " + r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
        assertFalse(Files.exists(Path.of(out)), "no report from a failed command");
    }

    @Test
    void namesComeFromTheFiles() {
        assertEquals("calico", ReportCommand.name("/tmp/x/calico.json"));
        assertEquals("run.out", ReportCommand.name("run.out"));
        assertEquals("stdin", ReportCommand.name("-"));
        assertEquals(".json", ReportCommand.name(".json"));
    }
}
