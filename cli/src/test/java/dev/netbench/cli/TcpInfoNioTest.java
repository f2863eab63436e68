package dev.netbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On Java NIO (-Dnetbench.nio=true) TCP_INFO cannot be read: tcp_bw's TCP figures are null with the reason, never 0. */
class TcpInfoNioTest {
    private static final String REASON = "the sending end runs on Java NIO, which cannot read TCP_INFO (native epoll only)";

    /** A loopback self-test in a JVM of its own, where both ends run on NIO; returns its standard output. */
    private static String nioClient(String... args) throws Exception {
        return nioClient(0, args);
    }

    private static String nioClient(int exitCode, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Dnetbench.nio=true", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "client", "--tcp-bw", "-t", "0.3", "--warmup", "0"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(exitCode != 0)
                .redirectError(exitCode != 0 ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "client still running");
        assertEquals(exitCode, p.exitValue(), out);
        return out;
    }

    @Test
    void onNioATcpLatencyTestRunsOnTheEventLoopAndSaysSo() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(nioClient("--json", "--tcp-lat"));
        JsonNode lat = doc.get("results").get(1);
        assertEquals("tcp_lat", lat.get("test").asText());
        assertEquals("event_loop", lat.get("io").asText(), lat.toString());
    }

    @Test
    void jsonHasNullsAndTheReason() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(nioClient("--json", "-P", "2"));
        assertEquals("nio", doc.get("settings").get("transport").asText());
        JsonNode r = doc.get("results").get(0);
        assertTrue(r.get("retransmits").isNull(), r.toString());
        assertTrue(r.get("tcp_info").isNull(), r.toString());
        assertEquals(REASON, r.get("tcp_info_unavailable").asText());
        for (JsonNode st : r.get("per_stream")) {
            assertTrue(st.get("retransmits").isNull() && st.get("tcp_info").isNull(), st.toString());
            assertEquals(REASON, st.get("tcp_info_unavailable").asText());
        }
    }

    @Test
    void knobsNioCannotApplyAreAnErrorAndTheOthersReadBack() throws Exception {
        String out = nioClient(1, "-C", "reno");
        assertTrue(out.contains("tcp_bw socket options: -C/--congestion cannot be applied: the NioSocketChannel transport is Java NIO"), out);
        assertFalse(out.contains("Exception"), out);
        // -Z at the sending end: the client's own socket; with -R, the agent's, which refuses the test saying why
        for (String[] args : new String[][]{{"-Z"}, {"-Z", "-R"}}) {
            String z = nioClient(1, args);
            assertTrue(z.contains("tcp_bw socket options: -Z/--zerocopy cannot be applied: the NioSocketChannel transport is Java NIO"), z);
            assertTrue(args.length == 1 || z.contains("rejected tcp_bw"), z);
            assertFalse(z.contains("Exception"), z);
        }
        JsonNode r = new ObjectMapper().readTree(nioClient("--json", "-N", "-S", "0x10")).get("results").get(0);
        for (String end : List.of("sender", "receiver")) {
            JsonNode s = r.get("socket").get(end);
            assertTrue(s.get("nodelay").asBoolean(), r.toString());
            assertTrue(s.get("congestion").isNull() && s.get("mss").isNull(), r.toString());
            assertTrue(s.get("missing").asText().contains("Java NIO"), r.toString());
        }
    }

    @Test
    void textAndCsvSayNotAvailableInReverseToo() throws Exception {
        String text = nioClient("-R");
        assertTrue(text.contains("retransmits          = n/a  (" + REASON + ")"), text);
        List<String> csv = nioClient("--csv").lines().toList();
        List<String> header = List.of(csv.get(0).split(","));
        String[] row = csv.get(1).split(",", -1);
        for (String column : List.of("retransmits", "snd_cwnd", "snd_mss", "pmtu", "tcp_rtt_us", "tcp_rttvar_us")) {
            assertEquals("", row[header.indexOf(column)], column + " in " + csv);
        }
    }
}
