package dev.netbench.cli;

import dev.netbench.json.Json;
import dev.netbench.server.NetbenchServer;
import dev.netbench.server.ServerOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --iperf3 and --json-iperf3 from the command line (the real iperf3 binary's interop is in the engine's tests). */
class Iperf3OptionsTest {
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static double receivedBitsPerSecond(String json) {
        Map<String, Object> doc = Json.parseObject(json);
        Map<String, Object> end = (Map<String, Object>) doc.get("end");
        return ((Number) ((Map<String, Object>) end.get("sum_received")).get("bits_per_second")).doubleValue();
    }

    @Test
    void jsonIperf3OfANetbenchTest() {
        Run r = run("client", "--tcp-bw", "-t", "0.5", "--warmup", "0", "-q", "--json-iperf3");
        assertEquals(0, r.code(), r.err());
        assertTrue(receivedBitsPerSecond(r.out()) > 0, r.out());
    }

    @Test
    void iperf3ClientAgainstTheAgentsIperf3Side() throws InterruptedException {
        try (NetbenchServer agent = NetbenchServer.start(new ServerOptions(InetAddress.getLoopbackAddress(), 0, 0, 2, null, false), line -> { })) {
            String target = "127.0.0.1:" + agent.address().getPort();
            Run tcp = run("client", "--iperf3", target, "-t", "1", "--warmup", "0", "-q", "--json-iperf3");
            assertEquals(0, tcp.code(), tcp.err());
            assertTrue(receivedBitsPerSecond(tcp.out()) > 0, tcp.out());
            Run udp = run("client", "--iperf3", target, "--udp-bw", "-b", "50M", "-t", "1", "--warmup", "0", "-q");
            assertEquals(0, udp.code(), udp.err());
            assertTrue(udp.out().contains("udp_bw:") && udp.out().contains("lost_packets"), udp.out());
            Run reverseJson = run("client", "--iperf3", target, "-R", "-P", "2", "-t", "1", "--warmup", "0", "-q", "--json");
            assertEquals(0, reverseJson.code(), reverseJson.err());
            assertTrue(reverseJson.out().contains("\"test\": \"tcp_bw\""), reverseJson.out());
        }
    }

    @Test
    void badCombinationsAreArgumentErrors() {
        assertEquals(2, run("client", "--iperf3", "127.0.0.1", "--tcp-lat").code());
        assertEquals(2, run("client", "--iperf3", "127.0.0.1", "-t", "1.5").code());
        assertEquals(2, run("client", "--iperf3", "127.0.0.1", "10.0.0.7").code());
        assertEquals(2, run("client", "--iperf3", "127.0.0.1:99999").code());
        assertEquals(2, run("client", "--iperf3", "127.0.0.1", "--msg", "1:64K:*2").code());
        assertEquals(2, run("client", "--tcp-lat", "--json-iperf3").code());
        assertEquals(2, run("client", "--tcp-bw", "--json", "--json-iperf3").code());
    }

    @Test
    void unreachableIperf3ServerIsOneLine() {
        Run r = run("client", "--iperf3", "127.0.0.1:1", "-t", "1", "--connect-timeout", "1");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("netbench: cannot reach iperf3 server 127.0.0.1:1"), r.err());
    }
}
