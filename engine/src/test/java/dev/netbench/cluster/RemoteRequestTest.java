package dev.netbench.cluster;

import dev.netbench.client.ClientSettings;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.SocketKnobs;
import dev.netbench.protocol.TestKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteRequestTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static RemoteRequest ok() {
        return new RemoteRequest("10.244.2.3", 7575, 7580, List.of(TestKind.TCP_LAT, TestKind.HTTP), List.of(64, 1024),
                5 * SECOND, SECOND, 2, 32, 1_000_000_000L, SocketKnobs.DEFAULT);
    }

    @Test
    void roundTripsThroughFields() {
        RemoteRequest r = ok();
        assertEquals(r, RemoteRequest.fromFields(r.toFields()));
        assertEquals(2 * 2 * 6 * SECOND, r.plannedNanos());
        assertEquals("remote", r.toFields().get("op"));
    }

    @Test
    void carriesTcpBwsSocketKnobs() {
        SocketKnobs knobs = new SocketKnobs(true, 262144, 1000, "reno", 0x10, true);
        RemoteRequest r = new RemoteRequest("10.244.2.3", 7575, 7580, List.of(TestKind.TCP_BW), List.of(), 5 * SECOND, SECOND,
                2, 32, 0, knobs);
        Fields f = r.toFields();
        assertEquals("true", f.get("run.sock.zerocopy"));
        assertEquals("262144", f.get("run.sock.window"));
        assertEquals(r, RemoteRequest.fromFields(f));
        assertEquals(knobs, r.toClientSettings(null, Duration.ofSeconds(5)).sockets());
        // an orchestrator older than the knobs sends no run.sock.*: tcp_bw as a plain client runs it
        Fields.Builder old = Fields.builder();
        f.asMap().forEach((k, v) -> {
            if (!k.startsWith("run.sock.")) {
                old.put(k, v);
            }
        });
        assertEquals(SocketKnobs.DEFAULT, RemoteRequest.fromFields(old.build()).sockets());
        // knobs without tcp_bw: refused, as the client refuses them
        assertThrows(ProtocolException.class, () -> RemoteRequest.fromFields(Fields.builder().putAll(f, "")
                .put("run.tests", "tcp_lat").build()));
        assertThrows(ProtocolException.class, () -> RemoteRequest.fromFields(Fields.builder().putAll(f, "")
                .put("run.sock.zerocopy", "yes").build()));
    }

    @Test
    void underLoadRunsTheRoundTripTestsTwiceAndAnOlderOrchestratorAsksIdleOnly() {
        RemoteRequest r = new RemoteRequest("10.244.2.3", 7575, 7580, List.of(TestKind.TCP_LAT, TestKind.TCP_BW), List.of(),
                5 * SECOND, SECOND, 1, 1, 0, SocketKnobs.DEFAULT, true);
        Fields f = r.toFields();
        assertEquals("true", f.get("run.under_load"));
        assertEquals(r, RemoteRequest.fromFields(f));
        assertEquals(3 * 6 * SECOND, r.plannedNanos(), "tcp_lat idle and loaded, tcp_bw once");
        assertEquals(new ClientSettings.Load(1, ClientSettings.Direction.BOTH), r.toClientSettings(null, Duration.ofSeconds(5)).load());
        Fields.Builder old = Fields.builder();
        f.asMap().forEach((k, v) -> {
            if (!k.equals("run.under_load")) {
                old.put(k, v);
            }
        });
        assertFalse(RemoteRequest.fromFields(old.build()).underLoad());
        assertThrows(IllegalArgumentException.class, () -> new RemoteRequest("h", 1, 2, List.of(TestKind.TCP_BW), List.of(),
                SECOND, 0, 1, 1, 0, SocketKnobs.DEFAULT, true), "no round-trip test to load");
    }

    @Test
    void boundsWhatATokenHolderCanAsk() {
        Fields good = ok().toFields();
        String[][] bad = {
                {"run.duration_ns", String.valueOf(61 * SECOND)},
                {"run.warmup_ns", String.valueOf(-1)},
                {"run.msg", String.valueOf(RemoteRequest.MAX_MSG + 1)},
                {"run.msg", "0"},
                {"run.parallel", "17"},
                {"run.concurrency", "100000"},
                {"run.bits_per_second", "1000000000000"},
                {"run.port", "70000"},
                {"run.host", ""},
                {"run.tests", "tcp_lat,nonsense"},
                {"run.msg", "1,2,x"},
                {"run.parallel", "99999999999"},
        };
        for (String[] b : bad) {
            Fields f = Fields.builder().putAll(good, "").put(b[0], b[1]).build();
            ProtocolException e = assertThrows(ProtocolException.class, () -> RemoteRequest.fromFields(f), b[0] + "=" + b[1]);
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        }
        Fields missing = Fields.builder().put("op", "remote").build();
        assertThrows(ProtocolException.class, () -> RemoteRequest.fromFields(missing));
    }

    @Test
    void boundsTheWholePlan() {
        // 32 sizes x 2 tests x 60 s is far past the 600 s a remote-driven run may take
        List<Integer> sizes = java.util.stream.IntStream.rangeClosed(1, 32).boxed().toList();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RemoteRequest("h", 1, 2,
                List.of(TestKind.TCP_BW, TestKind.TCP_LAT), sizes, 60 * SECOND, 0, 1, 1, 0, SocketKnobs.DEFAULT));
        assertTrue(e.getMessage().contains("600 s"), e.getMessage());
    }
}
