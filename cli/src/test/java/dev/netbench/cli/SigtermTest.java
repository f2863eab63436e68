package dev.netbench.cli;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real agent process, a real client process, and a real SIGTERM in the middle of a test. */
class SigtermTest {

    private static ProcessBuilder netbench(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void sigtermAbortsTheRunningTestAndTheAgentExitsInTime() throws Exception {
        int port = freePort();
        int httpPort = freePort();
        Process server = netbench("server", "-B", "127.0.0.1", "-p", String.valueOf(port), "--http-port", String.valueOf(httpPort))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String first = serverOut.readLine();
            assertTrue(first != null && first.contains("listening on"), "server said: " + first);
            Process client = netbench("client", "--tcp-bw", "-t", "30", "--warmup", "0", "-p", String.valueOf(port), "127.0.0.1")
                    .redirectErrorStream(true).start();
            Thread.sleep(2500);
            long t0 = System.nanoTime();
            // kill(1) rather than Process.destroy(): destroy() also closes our end of the agent's output
            assertEquals(0, new ProcessBuilder("kill", "-TERM", String.valueOf(server.pid())).start().waitFor());
            assertTrue(server.waitFor(15, TimeUnit.SECONDS), "agent still running 15 s after SIGTERM");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 12, "agent took " + seconds + " s to exit");
            String rest = serverOut.lines().collect(java.util.stream.Collectors.joining("\n"));
            assertTrue(rest.contains("event=shutdown aborted_tests=1"), rest);
            assertTrue(client.waitFor(15, TimeUnit.SECONDS), "client still running");
            String clientOut = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(1, client.exitValue(), clientOut);
            // (the test class path holds slf4j, which may add a warning of its own; netbench's own line is one)
            List<String> ours = clientOut.lines().filter(l -> l.startsWith("netbench: ")).toList();
            assertEquals(1, ours.size(), clientOut);
            assertTrue(ours.get(0).endsWith("aborted by the server: agent shutting down (SIGTERM)"), clientOut);
        } finally {
            server.destroyForcibly();
        }
    }
}
