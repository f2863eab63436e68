package dev.netbench.it;

import dev.netbench.NetbenchException;
import dev.netbench.client.Client;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.RunReport;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a DaemonSet needs of an agent: a clean abort on shutdown and live Prometheus metrics. */
class AgentLifecycleTest {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (-?[0-9]+(\\.[0-9]+)?)");

    @Test
    void shutdownAbortsRunningTestsWithAReasonAndEndsInTime() throws Exception {
        Loopback lo = new Loopback();
        CompletableFuture<RunReport> running = CompletableFuture.supplyAsync(() -> {
            try {
                return Client.run(lo.settings(List.of(TestKind.TCP_BW), List.of(), 20, 2, false), line -> { });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < 100 && lo.server.metrics().activeTests() < 2; i++) {
            Thread.sleep(50);
        }
        assertEquals(2, lo.server.metrics().activeTests(), "both streams running");
        long t0 = System.nanoTime();
        int aborted = lo.server.shutdown("agent shutting down (SIGTERM)", Duration.ofSeconds(4));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(2, aborted);
        assertTrue(seconds < 4.5, "shutdown took " + seconds + " s");
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, running::get);
        NetbenchException ne = assertInstanceOf(NetbenchException.class, e.getCause());
        assertTrue(ne.getMessage().matches("tcp_bw with 127\\.0\\.0\\.1:\\d+ aborted by the server: agent shutting down \\(SIGTERM\\)"), ne.getMessage());
    }

    @Test
    void shutdownAbortsATcpCrrTestAndItsTransactionsEnd() throws Exception {
        Loopback lo = new Loopback();
        CompletableFuture<RunReport> running = CompletableFuture.supplyAsync(() -> {
            try {
                return Client.run(lo.settings(List.of(TestKind.TCP_CRR), List.of(), 20, 2, false), line -> { });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // until transactions are being answered
        for (int i = 0; i < 100 && lo.server.metrics().prometheusText().contains("\nnetbench_tcp_crr_transactions_total 0\n"); i++) {
            Thread.sleep(50);
        }
        assertEquals(1, lo.server.metrics().activeTests(), "one control connection, however many transactions");
        assertEquals(1, lo.server.shutdown("agent shutting down (SIGTERM)", Duration.ofSeconds(4)));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> running.get(10, TimeUnit.SECONDS));
        NetbenchException ne = assertInstanceOf(NetbenchException.class, e.getCause());
        assertTrue(ne.getMessage().matches("tcp_crr with 127\\.0\\.0\\.1:\\d+ aborted by the server: agent shutting down \\(SIGTERM\\)"), ne.getMessage());
    }

    private static Map<String, Double> scrape(Loopback lo) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + lo.server.httpAddress().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        Map<String, Double> samples = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not Prometheus text: '" + line + "'");
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return samples;
    }

    @Test
    void metricsParseAndMoveWithTests() throws Exception {
        try (Loopback lo = new Loopback()) {
            Map<String, Double> before = scrape(lo);
            assertEquals(0.0, before.get("netbench_tests_served_total{test=\"tcp_bw\"}"));
            assertEquals(0.0, before.get("netbench_active_tests"));
            Client.run(lo.settings(List.of(TestKind.TCP_BW, TestKind.TCP_LAT), List.of(), 0.3, 1, false), line -> { });
            Map<String, Double> after = scrape(lo);
            assertEquals(1.0, after.get("netbench_tests_served_total{test=\"tcp_bw\"}"));
            assertEquals(1.0, after.get("netbench_tests_served_total{test=\"tcp_lat\"}"));
            assertTrue(after.get("netbench_payload_bytes_total{test=\"tcp_bw\",direction=\"received\"}") > 0);
            assertTrue(after.get("netbench_http_requests_total") >= 2, "the scrapes themselves count");
            for (int i = 0; i < 50 && scrape(lo).get("netbench_active_tests") > 0; i++) {
                Thread.sleep(50);
            }
            assertEquals(0.0, scrape(lo).get("netbench_active_tests"));
        }
    }
}
