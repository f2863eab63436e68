package dev.netbench.cli;

import dev.netbench.json.Json;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --hdr-log on a real loopback self-test, read back with HdrHistogram's own log reader. */
class HdrLogTest {
    @TempDir
    Path dir;

    @Test
    void eachIntervalsHistogramIsInTheLogAsTheIntervalLineHasIt() throws FileNotFoundException {
        Path log = dir.resolve("run.hlog");
        Cli.Run r = Cli.run("client", "--tcp-lat", "--tcp-crr", "-t", "1", "--warmup", "0.3", "-i", "0.25", "--json-stream", "-q",
                "--hdr-log", log.toString());
        assertEquals(0, r.code(), r.err());
        List<Map<?, ?>> intervals = r.out().lines().map(Json::parseObject).filter(e -> e.get("event").equals("interval"))
                .<Map<?, ?>>map(e -> (Map<?, ?>) e.get("data")).toList();
        List<Histogram> logged = new ArrayList<>();
        HistogramLogReader reader = new HistogramLogReader(log.toFile());
        for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null; h = reader.nextIntervalHistogram()) {
            logged.add((Histogram) h);
        }
        assertEquals(intervals.size(), logged.size(), "one histogram per interval line");
        double lastEnd = 0;
        for (int i = 0; i < logged.size(); i++) {
            Histogram h = logged.get(i);
            Map<?, ?> line = intervals.get(i);
            String test = (String) line.get("test");
            // both tests at their default message size of 1 byte
            assertEquals(test + ".1" + (Boolean.TRUE.equals(line.get("warmup")) ? ".warmup" : ""), h.getTag());
            Map<?, ?> p = (Map<?, ?>) line.get(test.equals("tcp_crr") ? "transaction_us" : "rtt_us");
            if (h.getTotalCount() > 0) {
                // the same histogram the line's percentiles came from: equal, not close
                assertEquals(((Number) p.get("p50")).doubleValue(), h.getValueAtPercentile(50) / 1e3, 0, "p50 of interval " + i);
                assertEquals(((Number) p.get("p99")).doubleValue(), h.getValueAtPercentile(99) / 1e3, 0, "p99 of interval " + i);
            }
            double start = h.getStartTimeStamp() / 1e3;
            assertTrue(start >= lastEnd - 0.05, "intervals in time order: " + start + " after " + lastEnd);
            // the log keeps its time stamps in milliseconds: each of the two may be off by one (CI read 0.2518 s as 0.253)
            assertEquals(((Number) line.get("seconds")).doubleValue(), (h.getEndTimeStamp() - h.getStartTimeStamp()) / 1e3, 0.0021,
                    "interval " + i);
            lastEnd = h.getEndTimeStamp() / 1e3;
        }
        assertTrue(logged.stream().anyMatch(h -> h.getTag().equals("tcp_lat.1") && h.getTotalCount() > 100), "measured intervals");
        assertTrue(logged.stream().anyMatch(h -> h.getTag().equals("tcp_crr.1.warmup")), "the warm-up, tagged");
    }

    @Test
    void withoutIntervalsOrALatencyTestItIsAUsageError() {
        Path log = dir.resolve("x.hlog");
        Cli.Run noInterval = Cli.run("client", "--tcp-lat", "--hdr-log", log.toString());
        assertEquals(2, noInterval.code());
        assertTrue(noInterval.err().contains("give -i SECONDS"), noInterval.err());
        Cli.Run noLatency = Cli.run("client", "--tcp-bw", "-i", "1", "--hdr-log", log.toString());
        assertEquals(2, noLatency.code());
        assertTrue(noLatency.err().contains("--tcp-lat, --udp-lat or --tcp-crr"), noLatency.err());
        Cli.Run unwritable = Cli.run("client", "--tcp-lat", "-i", "1", "--hdr-log", dir.resolve("no/such/dir/x.hlog").toString());
        assertEquals(2, unwritable.code());
        assertEquals(1, unwritable.err().strip().lines().count(), unwritable.err());
        assertTrue(Files.notExists(log));
    }
}
