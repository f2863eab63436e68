package dev.netbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netbench.client.Client;
import dev.netbench.client.ClientSettings;
import dev.netbench.protocol.TestKind;
import dev.netbench.admission.Limits;
import dev.netbench.server.NetbenchServer;
import dev.netbench.server.ServerOptions;
import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real processes killed with SIGKILL in the middle of their tests: clients (the agent frees everything) and the agent. */
class KillTest {

    private static ProcessBuilder netbench(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Test
    void clientsKilledMidTestLeaveNothingHeldOnTheAgent() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        // above the reverse udp_bw's own 3 s consent timeout, and above what a client JVM starting on a loaded 2-core
        // machine may stall for between two KEEPALIVEs
        Limits limits = Limits.defaults().withIdleTimeout(Duration.ofSeconds(4));
        try (NetbenchServer agent = NetbenchServer.start(new ServerOptions(InetAddress.getLoopbackAddress(), 0, 0, 2, null, false), limits, log::add)) {
            String port = String.valueOf(agent.address().getPort());
            String httpPort = String.valueOf(agent.httpAddress().getPort());
            InetAddress local = InetAddress.getByName("127.0.0.1");
            List<Process> clients = new ArrayList<>();
            String[][] runs = {
                    {"--tcp-bw", "-R", "-P", "4", "--msg", "4M"},   // the agent sends: four 4 MiB message buffers
                    {"--tcp-lat", "-P", "2", "--msg", "1M"},        // the agent answers: two 1 MiB buffers
                    {"--tcp-crr", "-P", "8"},                        // a control connection and transactions in flight
                    {"--udp-bw", "-R", "-b", "20M"},                 // the agent sends datagrams until the client goes quiet
                    {"--udp-lat"},
                    {"--http", "-c", "8", "--http-port", httpPort},  // keep-alive connections to the HTTP target
            };
            try {
                for (String[] run : runs) {
                    List<String> args = new ArrayList<>(List.of("client", "-t", "60", "--warmup", "0", "-q", "-p", port));
                    args.addAll(List.of(run));
                    args.add("127.0.0.1");
                    clients.add(netbench(args.toArray(String[]::new)).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                }
                long buffers = 4 * (4L * 1024 * 1024 + 5) + 2 * (1024L * 1024 + 5);
                boolean running = waitFor(() -> agent.admission().tests() == 9 && agent.admission().bufferBytes() == buffers
                        && agent.httpConnections().open(local) == 8, 30_000);
                assertTrue(running, "all six clients under way: tests " + agent.admission().tests() + ", buffers "
                        + agent.admission().bufferBytes() + ", http " + agent.httpConnections().open(local) + "\n" + log);
                Thread.sleep(1000);
                long directDuring = PlatformDependent.usedDirectMemory();
                for (Process p : clients) {
                    p.destroyForcibly(); // SIGKILL: no FIN from the test code, no END, no goodbye
                }
                for (Process p : clients) {
                    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
                }
                long t0 = System.nanoTime();
                // TCP: the kernel closes a killed process's sockets; UDP: nothing comes, the idle timeout ends the sessions
                boolean freed = waitFor(() -> agent.admission().tests() == 0 && agent.admission().bufferBytes() == 0
                        && agent.testConnections().addresses() == 0 && agent.httpConnections().addresses() == 0
                        && agent.udpSessions() == 0 && agent.metrics().activeTests() == 0, 10_000);
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertTrue(freed, "held after the kill: tests " + agent.admission().tests() + ", buffers " + agent.admission().bufferBytes()
                        + ", tcp addresses " + agent.testConnections().addresses() + ", http addresses " + agent.httpConnections().addresses()
                        + ", udp sessions " + agent.udpSessions() + "\n" + log);
                long directAfter = PlatformDependent.usedDirectMemory();
                if (directDuring >= 0) {
                    assertTrue(directAfter <= directDuring - buffers + (1 << 20),
                            "the message buffers went back: direct memory " + directDuring + " -> " + directAfter);
                }
                // and it serves the next client as if nothing happened
                ClientSettings next = new ClientSettings("127.0.0.1", agent.address().getPort(), List.of(TestKind.TCP_LAT), List.of(),
                        Duration.ofMillis(300), Duration.ZERO, 1, false, Duration.ZERO, Duration.ofSeconds(5), null, 0);
                assertTrue(Client.run(next, line -> { }).results().get(0).latency().roundTrips() > 0);
                System.out.printf("fault: 6 clients (tcp_bw -R, tcp_lat, tcp_crr, udp_bw -R, udp_lat, http; 9 tests, %d MiB of buffers, "
                        + "8 HTTP connections) killed mid-test: all freed %.1f s later%n", buffers >> 20, seconds);
            } finally {
                clients.forEach(Process::destroyForcibly);
            }
        }
    }

    @Test
    void agentKilledMidTestGivesTheClientAClearErrorAndPartialResults() throws Exception {
        int port = freePort();
        int httpPort = freePort();
        Process agent = netbench("server", "-B", "127.0.0.1", "-p", String.valueOf(port), "--http-port", String.valueOf(httpPort))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Process client = null;
        File out = File.createTempFile("netbench-client", ".json");
        File err = File.createTempFile("netbench-client", ".err");
        try {
            BufferedReader agentOut = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
            String first = agentOut.readLine();
            assertTrue(first != null && first.contains("listening on"), "agent said: " + first);
            client = netbench("client", "--tcp-bw", "--tcp-lat", "-t", "4", "--warmup", "0", "--json", "-p", String.valueOf(port), "127.0.0.1")
                    .redirectOutput(out).redirectError(err).start();
            // tcp_bw is served whole; about 1.5 s into tcp_lat (after the client's 0.5 s idle CPU baseline), the agent dies
            for (String line; (line = agentOut.readLine()) != null; ) {
                if (line.contains("event=served test=tcp_bw")) {
                    break;
                }
            }
            Thread.sleep(2000);
            agent.destroyForcibly();
            assertTrue(agent.waitFor(10, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            assertTrue(client.waitFor(15, TimeUnit.SECONDS), "client still running after the agent died");
            double seconds = (System.nanoTime() - t0) / 1e9;
            String stderr = Files.readString(err.toPath()).strip();
            String stdout = Files.readString(out.toPath());
            assertEquals(1, client.exitValue(), stderr);
            List<String> ours = stderr.lines().filter(l -> l.startsWith("netbench: ")).toList();
            assertEquals(1, ours.size(), stderr);
            assertTrue(ours.get(0).matches("netbench: tcp_lat with 127\\.0\\.0\\.1:" + port
                    + " failed: (connection closed during the measured window|Connection reset by peer)"), ours.get(0));
            assertTrue(seconds < 5, "the client took " + seconds + " s to notice");
            JsonNode doc = new ObjectMapper().readTree(stdout);
            assertFalse(doc.get("complete").asBoolean());
            assertEquals(ours.get(0).substring("netbench: ".length()), doc.get("error").asText());
            JsonNode results = doc.get("results");
            assertEquals(2, results.size(), stdout);
            JsonNode bw = results.get(0);
            assertEquals("tcp_bw", bw.get("test").asText());
            assertFalse(bw.get("partial").asBoolean(), "tcp_bw finished before the kill");
            assertTrue(bw.get("bits_per_second").asDouble() > 0);
            JsonNode lat = results.get(1);
            assertEquals("tcp_lat", lat.get("test").asText());
            assertTrue(lat.get("partial").asBoolean());
            assertEquals(doc.get("error").asText(), lat.get("error").asText());
            assertTrue(lat.get("progress").get("messages").asLong() > 0, stdout);
            double ran = lat.get("progress").get("seconds").asDouble();
            assertTrue(ran > 1 && ran < 4, "tcp_lat ran " + ran + " s before the kill");
            assertTrue(lat.get("rtt_us") == null, "no figures that need both ends");
            System.out.printf("fault: agent killed %.1f s into tcp_lat: the client said so in %.1f s, exit 1, tcp_bw kept, tcp_lat marked partial%n",
                    ran, seconds);
        } finally {
            agent.destroyForcibly();
            if (client != null) {
                client.destroyForcibly();
            }
            Files.deleteIfExists(out.toPath());
            Files.deleteIfExists(err.toPath());
        }
    }
}
