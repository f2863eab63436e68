package dev.netbench.cli;

import dev.netbench.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --mtu on a real loopback self-test: both ends on lo, whose MTU the kernel says in /sys. The black hole, the ICMP
 * and the right-MTU cases are .ci/mtu-test.sh's, through a router namespace.
 */
class MtuTest {
    @Test
    void loopbackCarriesTheLargestUdpDatagramItsInterfaceAllows() throws Exception {
        int lo = Integer.parseInt(Files.readString(Path.of("/sys/class/net/lo/mtu")).strip());
        Cli.Run r = Cli.run("client", "--mtu", "--json");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> result = (Map<?, ?>) ((List<?>) Json.parseObject(r.out()).get("results")).get(0);
        assertEquals("mtu", result.get("test"));
        assertEquals((long) lo, ((Map<?, ?>) result.get("interface_mtu")).get("local"));
        assertEquals((long) lo, ((Map<?, ?>) result.get("interface_mtu")).get("remote"));
        // IPv4 over lo: the interface's MTU less 28 bytes of headers, or UDP's own 65507-byte limit if that is less
        long payload = Math.min(lo - 28, 65507);
        assertEquals(payload + 28, result.get("path_mtu"));
        assertEquals(payload, result.get("payload_bytes"));
        assertEquals("interface", result.get("limit"));
        assertEquals(null, result.get("black_hole"));
        assertEquals(true, result.get("agent_dont_fragment"));
        assertEquals(2L, result.get("probes"), "the smallest datagram, then the largest: both came back");
        // TCP's view of lo: the path MTU the kernel holds is the interface's (at most an IPv4 packet's 65535), and
        // its segments fit
        assertEquals((long) Math.min(lo, 65535), result.get("tcp_pmtu"));
        assertTrue(((Number) result.get("tcp_snd_mss")).longValue() > 0 && ((Number) result.get("tcp_snd_mss")).longValue() < lo - 40, result.toString());
    }

    @Test
    void theTextSaysWhatStoppedTheSearch() {
        Cli.Run r = Cli.run("client", "--mtu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("path_mtu") && r.out().contains("limit                = interface"), r.out());
        assertTrue(r.out().contains("its segments fit the path"), r.out());
    }

    @Test
    void probeSizesAreMtusOwnAndOneLineSaysSo() {
        for (String[] args : List.of(new String[] {"client", "--mtu", "--msg", "1400"},
                new String[] {"client", "--iperf3", "127.0.0.1", "--mtu"})) {
            Cli.Run r = Cli.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertEquals("", r.out());
        }
    }
}
