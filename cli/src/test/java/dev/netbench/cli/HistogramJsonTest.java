package dev.netbench.cli;

import dev.netbench.json.Json;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A real tcp_lat's JSON carries its whole RTT histogram: HdrHistogram reads it back to the figures printed. */
class HistogramJsonTest {
    @Test
    void rttUsHistogramDecodesToTheRoundTripsAndPercentilesPrinted() throws Exception {
        Cli.Run r = Cli.run("client", "--tcp-lat", "-t", "0.3", "--warmup", "0", "--json");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> result = (Map<?, ?>) ((List<?>) Json.parseObject(r.out()).get("results")).get(0);
        Map<?, ?> rtt = (Map<?, ?>) result.get("rtt_us");
        Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode((String) rtt.get("histogram"))), 0);
        assertEquals(((Number) result.get("round_trips")).longValue(), h.getTotalCount());
        assertEquals(((Number) rtt.get("p99")).doubleValue(), h.getValueAtPercentile(99) / 1e3, 1e-9);
        assertEquals(((Number) rtt.get("max")).doubleValue(), h.getMaxValue() / 1e3, 1e-9);
    }
}
