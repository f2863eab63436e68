package dev.netbench.gate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThresholdTest {
    @Test
    void aTestAloneMeansItsHeadlineFigure() {
        Threshold t = Threshold.parse("tcp_bw < 9G");
        assertEquals("bits_per_second", t.path());
        assertEquals(Threshold.Op.LT, t.op());
        assertEquals(9e9, t.value());
        assertEquals("latency_us", Threshold.parse("udp_lat > 50us").path());
        assertEquals("transactions_per_second", Threshold.parse("tcp_crr < 10k").path());
        assertEquals(1e4, Threshold.parse("tcp_crr < 10k").value());
        assertEquals("requests_per_second", Threshold.parse("http<=1000").path());
    }

    @Test
    void summariesOfADistributionAreItsPercentiles() {
        assertEquals("rtt_us.p99", Threshold.parse("tcp_lat.p99 > 200us").path());
        assertEquals("rtt_us.p999", Threshold.parse("udp_lat.p99.9 > 1ms").path());
        assertEquals("transaction_us.p50", Threshold.parse("tcp_crr.p50 > 1ms").path());
        assertEquals("latency_us.max", Threshold.parse("http.max >= 2s").path());
        assertEquals("connect_us.p99", Threshold.parse("tcp_crr.connect_us.p99 > 300us").path());
    }

    @Test
    void valuesAreConvertedToTheFiguresOwnUnit() {
        assertEquals(200, Threshold.parse("tcp_lat.p99 > 200us").value());
        assertEquals(1500, Threshold.parse("tcp_lat.p99 > 1.5ms").value());
        assertEquals(2e6, Threshold.parse("tcp_lat > 2s").value());
        assertEquals(0.25, Threshold.parse("tcp_lat > 250ns").value());
        assertEquals(0.5, Threshold.parse("udp_bw.jitter_ms > 500us").value(), "jitter is in ms");
        assertEquals(2.5e8, Threshold.parse("udp_bw < 250Mbit/s").value());
        assertEquals(1e12, Threshold.parse("tcp_bw < 1T").value());
        assertEquals(1, Threshold.parse("udp_bw.lost_percent > 1%").value());
        assertEquals(0.5, Threshold.parse("udp_bw.lost_percent > 0.5").value());
        assertEquals(0, Threshold.parse("http.failed > 0").value());
        assertEquals(Threshold.Unit.NUMBER, Threshold.parse("tcp_bw.retransmits > 10").unit());
    }

    @Test
    void malformedExpressionsSayWhatIsWrong() {
        for (String bad : new String[] {"tcp_bw", "tcp_bw < ", "tcp_bw = 9G", "tcp_bw < -1G", "tcp_bw < 9 G G", ".p99 > 1us"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Threshold.parse(bad), bad);
            assertTrue(e.getMessage().contains("TEST[.FIGURE] OP VALUE"), e.getMessage());
        }
        assertTrue(message("tcp_lat.p99 > 200").contains("a time needs its unit"));
        assertTrue(message("tcp_lat.p99 > 200Mbit").contains("not a time unit"));
        assertTrue(message("tcp_bw < 9us").contains("does not belong in a bit rate"));
        assertTrue(message("udp_bw.lost_percent > 1ms").contains("not a percent"));
        assertTrue(message("tcp_bw.p99 > 1ms").contains("tcp_bw has no latency distribution"));
        assertTrue(message("qperf_bw < 1G").contains("no test 'qperf_bw'"));
        assertTrue(message("tcp_lat.rtt_us..p99 > 1us").contains("not a figure's dotted path"));
    }

    private static String message(String text) {
        return assertThrows(IllegalArgumentException.class, () -> Threshold.parse(text)).getMessage();
    }
}
