package dev.netbench.cli;

import dev.netbench.cli.Cli.Run;
import dev.netbench.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.netbench.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --fail-if on real loopback self-tests: exit codes, the breach line, and the value it quotes. */
class FailIfTest {
    @Test
    void aBreachedThresholdExitsWithThreeAndQuotesTheMeasuredFigure() {
        // no TCP round trip, not even over loopback, takes under 1 us; every one takes under 10 s
        Run r = run("client", "--tcp-lat", "-t", "0.3", "--warmup", "0", "-q", "--json",
                "--fail-if", "tcp_lat.p99 > 1us", "--fail-if", "tcp_lat.p99 > 10s");
        assertEquals(3, r.code(), r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), "one line for the one breach: " + r.err());
        Map<?, ?> rtt = (Map<?, ?>) ((Map<?, ?>) ((List<?>) Json.parseObject(r.out()).get("results")).get(0)).get("rtt_us");
        double p99 = ((Number) rtt.get("p99")).doubleValue();
        assertEquals(String.format(Locale.ROOT, "netbench: threshold breached: tcp_lat.p99 > 1us: tcp_lat at msg 1 B measured %.1f us", p99),
                lines.get(0));
    }

    @Test
    void aThresholdThatHoldsNowhereExitsWithZero() {
        Run r = run("client", "--tcp-lat", "-t", "0.2", "--warmup", "0", "-q", "--fail-if", "tcp_lat > 10s");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
    }

    @Test
    void aMalformedThresholdIsOneLineAndExitCodeTwoBeforeAnyTest() {
        Run unit = run("client", "--tcp-lat", "--fail-if", "tcp_lat.p99 > 200");
        assertEquals(2, unit.code());
        assertEquals(1, unit.err().strip().lines().count(), unit.err());
        assertTrue(unit.err().contains("a time needs its unit (ns, us, ms or s)"), unit.err());
        Run absent = run("client", "--tcp-lat", "--fail-if", "tcp_bw < 1G");
        assertEquals(2, absent.code());
        assertTrue(absent.err().startsWith("netbench: --fail-if 'tcp_bw < 1G': the run has no tcp_bw test"), absent.err());
        assertEquals("", absent.out(), "no test ran");
    }

    @Test
    void theMatrixGatesOnlyWhatItsTableHasAColumnFor() {
        Run percentile = run("matrix", "--peers", "127.0.0.1", "--tests", "tcp_lat", "--fail-if", "tcp_lat.p99 > 1ms");
        assertEquals(2, percentile.code());
        assertTrue(percentile.err().startsWith("netbench: --fail-if 'tcp_lat.p99 > 1ms': the matrix has no column of tcp_lat's rtt_us.p99"),
                percentile.err());
        Run absent = run("matrix", "--peers", "127.0.0.1", "--tests", "tcp_lat", "--fail-if", "udp_bw.lost_percent > 1");
        assertEquals(2, absent.code());
        assertTrue(absent.err().contains("the run has no udp_bw test"), absent.err());
    }

    @Test
    void aFigureTheResultDoesNotHaveIsABadArgumentNamingTheFiguresItHas() {
        Run r = run("client", "--tcp-lat", "-t", "0.2", "--warmup", "0", "-q", "--fail-if", "tcp_lat.goodput > 1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("a tcp_lat result has no figure 'goodput'") && r.err().contains("latency_us"), r.err());
    }
}
