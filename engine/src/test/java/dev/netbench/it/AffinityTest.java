package dev.netbench.it;

import dev.netbench.NetbenchException;
import dev.netbench.client.Client;
import dev.netbench.client.ClientSettings;
import dev.netbench.cpu.Affinity;
import dev.netbench.protocol.SocketKnobs;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** -T: the test threads of both ends run where asked, as the kernel itself reports each thread's allowed CPUs. */
class AffinityTest {
    @RegisterExtension
    final Loopback lo = new Loopback();

    private ClientSettings pinned(TestKind kind, int local, int remote) {
        return new ClientSettings("127.0.0.1", lo.port(), List.of(kind), List.of(), Duration.ofSeconds(1), Duration.ofMillis(100), 1,
                false, Duration.ZERO, Duration.ofSeconds(5), null, 0, null, SocketKnobs.DEFAULT, false, false, local, remote);
    }

    /** Cpus_allowed_list of every test thread of this process (the client's and the in-process agent's). */
    private static List<String> pumpAffinities() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("netbench-pump")) {
                        Files.readAllLines(task.resolve("status")).stream().filter(l -> l.startsWith("Cpus_allowed_list:"))
                                .map(l -> l.substring(l.indexOf(':') + 1).strip()).forEach(out::add);
                    }
                } catch (IOException gone) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return out;
    }

    /** The affinities of the test threads seen while {@code settings} runs, once {@code threads} of them run. */
    private List<String> seenDuring(ClientSettings settings, int threads) throws Exception {
        CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> {
            try {
                return Client.run(settings, line -> { });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> seen = List.of();
        for (int i = 0; i < 100 && seen.size() < threads; i++) {
            Thread.sleep(20);
            seen = pumpAffinities();
        }
        RunReport r = run.get();
        assertEquals(settings.localCpu(), r.settings().localCpu());
        assertEquals(settings.remoteCpu(), r.settings().remoteCpu());
        return seen.stream().sorted().toList();
    }

    @Test
    void eachEndRunsOnTheCpuItWasGiven() throws Exception {
        int[] cpus = Affinity.firstAllowed(2);
        org.junit.jupiter.api.Assumptions.assumeTrue(cpus.length == 2, "needs two CPUs");
        // tcp_lat: one thread at each end; the client's on the first CPU, the agent's on the second
        assertEquals(List.of(String.valueOf(cpus[0]), String.valueOf(cpus[1])), seenDuring(pinned(TestKind.TCP_LAT, cpus[0], cpus[1]), 2));
        // tcp_bw: the sender's send loop and reader, the receiver's reader: all three on the one CPU given
        String one = String.valueOf(cpus[1]);
        assertEquals(List.of(one, one, one), seenDuring(pinned(TestKind.TCP_BW, cpus[1], cpus[1]), 3));
    }

    @Test
    void aCpuTheAgentCannotRunOnIsRefusedAtTheHandshake() {
        NetbenchException e = assertThrows(NetbenchException.class, () -> Client.run(pinned(TestKind.TCP_LAT, -1, 1023), line -> { }));
        assertTrue(e.getMessage().contains("rejected tcp_lat: -T: on the agent, CPU 1023 is not one this process may run on (CPUs "),
                e.getMessage());
        IllegalArgumentException local = assertThrows(IllegalArgumentException.class, () -> pinned(TestKind.TCP_LAT, 1023, -1));
        assertTrue(local.getMessage().startsWith("-T: CPU 1023 is not one this process may run on"), local.getMessage());
        IllegalArgumentException udp = assertThrows(IllegalArgumentException.class, () -> pinned(TestKind.UDP_LAT, 0, 0));
        assertTrue(udp.getMessage().contains("use it with --tcp-lat or --tcp-bw"), udp.getMessage());
    }
}
