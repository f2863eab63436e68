package dev.netbench.cli;

import dev.netbench.cli.Cli.Run;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.util.List;

import static dev.netbench.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user meets it: exit codes, one-line errors, and the three output formats. */
class MainTest {
    @Test
    void anUnknownCongestionControlIsOneLineListingTheAvailableOnes() throws Exception {
        Run r = run("client", "--tcp-bw", "-C", "nosuchalgo", "-t", "0.1");
        assertEquals(2, r.code(), r.err());
        String available = String.join(" ", java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control"))).trim();
        String expected = "netbench: -C/--congestion: unknown congestion control 'nosuchalgo'; available here: " + available
                + " (/proc/sys/net/ipv4/tcp_available_congestion_control)";
        assertTrue(r.err().startsWith(expected), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void versionAndHelp() {
        Run v = run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("netbench 0.1.0"), v.out());
        Run h = run("client", "--help");
        assertEquals(0, h.code());
        for (String option : new String[]{"--tcp-bw", "--tcp-lat", "--tcp-crr", "--http", "--msg", "--time", "--warmup", "--parallel", "--reverse",
                "--interval", "--port", "--json", "--csv", "--requests", "--concurrency", "--no-keepalive", "--rate", "--http-port",
                "--no-delay", "--window", "--set-mss", "--congestion", "--tos", "--bidir", "--zerocopy"}) {
            assertTrue(h.out().contains(option), option);
        }
        assertTrue(run("server", "--help").out().contains("--bind"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"client --nope", "client --msg 0", "client --msg 1:64K:*1", "client -t 0", "client -t abc",
            "client -P 0", "client -P x", "client --json --csv", "client --tcp-lat -R", "client --tcp-crr -R", "client -p 70000",
            "client a b", "server -p -1", "server --threads -3", "frobnicate", "client --warmup -1",
            "client --http -n 5 -c 10", "client --http -c 0", "client --http --rate -5", "client --http https://x/",
            "client --tcp-bw http://x/", "client --http http://", "client --http -k --no-keepalive", "server --http-port 99999",
            "server -p 7000 --http-port 7000", "client --http http://127.0.0.1:99999/", "client --http http://127.0.0.1:0/",
            "client -t 1e-10", "client --http --msg 1K http://127.0.0.1/", "client --udp-bw --msg 65508", "client --udp-lat --msg 19",
            "client --udp-bw --msg 1:64K:*2", "client --udp-bw -b fast", "client --udp-bw -b -1M", "client --udp-bw -b 2T",
            "client --udp-lat -R", "client --udp-bw -i 0.05", "server --require-token", "server --token-file /nonexistent/token",
            "client --token-file /nonexistent/token", "matrix", "matrix --peers 127.0.0.1", "compare",
            "compare /nonexistent/a.json /nonexistent/b.json", "matrix --peers 127.0.0.1:99999 --token-file /dev/null",
            "matrix --peers 127.0.0.1 -t 60.5", "matrix --peers 127.0.0.1 -P 17",
            "matrix --peers 127.0.0.1 -c 2000", "matrix --peers 127.0.0.1 --tests nope",
            "server --max-tests 0", "server --max-conns-per-ip -1", "server --max-test-time 0", "server --max-msg 17M",
            "server --handshake-timeout x", "server --idle-timeout 0", "server --max-buffer-memory 1K", "server --max-buffer-memory 2T",
            "client --tcp-bw -C nosuchalgo", "client --tcp-bw -S 0x100", "client --tcp-bw -S ten", "client --tcp-bw -w 0",
            "client --tcp-bw -w 2G", "client --tcp-bw -M 20", "client --tcp-lat -N", "client --udp-bw -w 1M",
            "client --iperf3 127.0.0.1 -C reno", "client --tcp-bw --bidir -R", "client --tcp-lat --bidir",
            "client --iperf3 127.0.0.1 --bidir", "client --tcp-bw --bidir -P 513",
            "client --tcp-bw --bidir --json-iperf3", "client --tcp-lat -Z", "client --udp-bw -Z", "client --iperf3 127.0.0.1 -Z",
            "matrix --peers 127.0.0.1 --tests tcp_lat -N", "matrix --peers 127.0.0.1 -S 0x100",
            "client --tcp-bw --busy-poll", "client --iperf3 127.0.0.1 --busy-poll"})
    void badArgumentsGiveOneLineAndExitTwo(String args) {
        Run r = run(args.split(" "));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("netbench: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void zerocopyOnATestWithoutTcpBwNamesTheOption() {
        Run r = run("client", "--tcp-lat", "-Z");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("netbench: -N, -w, -M, -C, -S and -Z set tcp_bw's sockets: use them with --tcp-bw"), r.err());
        Run m = run("matrix", "--peers", "127.0.0.1", "--tests", "tcp_lat,http", "-Z");
        assertEquals(2, m.code(), m.err());
        assertTrue(m.err().startsWith("netbench: -N, -w, -M, -C, -S and -Z set tcp_bw's sockets, and tcp_bw is not selected"), m.err());
    }

    @Test
    void unreachableServerGivesOneLineAndExitOne() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Run r = run("client", "--tcp-bw", "-t", "1", "-p", String.valueOf(closed), "127.0.0.1");
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("netbench: cannot connect to 127.0.0.1:" + closed), r.err());
        Run unknown = run("client", "--tcp-bw", "-t", "1", "no-such-host.invalid");
        assertEquals(1, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("cannot resolve host 'no-such-host.invalid'"), unknown.err());
    }

    @Test
    void loopbackSelfTestAsJson() throws Exception {
        Run r = run("client", "--json", "-t", "0.3", "--warmup", "0.1");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("netbench", doc.get("tool").asText());
        assertEquals("0.1.0", doc.get("version").asText());
        assertTrue(doc.get("loopback_self_test").asBoolean());
        assertTrue(doc.get("local").has("hostname") && doc.get("remote").has("cpu_model"));
        JsonNode bw = doc.get("results").get(0);
        assertEquals("tcp_bw", bw.get("test").asText());
        assertEquals(131072, bw.get("msg_size").asInt());
        assertTrue(bw.get("bits_per_second").asDouble() > 0);
        assertEquals(bw.get("bytes").asDouble() * 8 / bw.get("seconds").asDouble(), bw.get("bits_per_second").asDouble(),
                bw.get("bits_per_second").asDouble() * 1e-6);
        // a self-test's two ends share one process: its costs are withheld, each with the reason beside it
        assertTrue(bw.get("send_cost_s_per_gb").isNull() && bw.get("process_recv_cost_s_per_gb").isNull());
        assertTrue(bw.get("send_cost_missing").asText().contains("one process"), bw.toString());
        for (String end : new String[]{"local", "remote"}) {
            for (String scope : new String[]{"process", "host"}) {
                assertTrue(bw.get("cpu").get(end).get(scope).has("cpus_used_percent"), end + "/" + scope);
            }
        }
        assertTrue(bw.get("cpu").get("local").get("host").has("softirq_s"));
        JsonNode lat = doc.get("results").get(1);
        assertEquals("tcp_lat", lat.get("test").asText());
        assertEquals(1, lat.get("msg_size").asInt());
        assertEquals(lat.get("rtt_us").get("mean").asDouble() / 2, lat.get("latency_us").asDouble(), 1e-6);
        for (String p : new String[]{"p50", "p90", "p99", "p999", "max"}) {
            assertTrue(lat.get("rtt_us").get(p).asDouble() > 0, p);
        }
        assertTrue(lat.get("msg_rate").asDouble() > 0);
    }

    @Test
    void udpTooLargeForUdpSaysSo() {
        Run r = run("client", "--udp-bw", "--msg", "64K");
        assertTrue(r.err().startsWith("netbench: udp_bw message size 65536 is above the UDP maximum of 65507 bytes"), r.err());
    }

    @Test
    void udpSelfTestAsJsonAndText() throws Exception {
        Run r = run("client", "--udp-bw", "--udp-lat", "-b", "20M", "-t", "0.5", "--warmup", "0.2", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode results = new ObjectMapper().readTree(r.out()).get("results");
        JsonNode bw = results.get(0);
        assertEquals("udp_bw", bw.get("test").asText());
        assertEquals(1400, bw.get("msg_size").asInt());
        for (String f : new String[]{"send_bits_per_second", "bits_per_second", "packets", "lost_packets", "lost_percent",
                "jitter_ms", "out_of_order", "duplicates"}) {
            assertTrue(bw.has(f), f + " in " + bw);
        }
        assertEquals(20e6, bw.get("send_bits_per_second").asDouble(), 20e6 * 0.05);
        assertEquals(bw.get("packets").asLong(), bw.get("packets_received").asLong() + bw.get("lost_packets").asLong());
        JsonNode lat = results.get(1);
        assertEquals("udp_lat", lat.get("test").asText());
        assertEquals(20, lat.get("msg_size").asInt());
        assertTrue(lat.get("latency_us").asDouble() > 0);
        assertTrue(lat.has("lost_packets"));

        Run text = run("client", "--udp-bw", "-b", "10M", "-t", "0.3", "--warmup", "0");
        assertEquals(0, text.code(), text.err());
        for (String name : new String[]{"send_bw", "recv_bw", "lost_packets", "jitter", "out_of_order", "duplicates"}) {
            assertTrue(text.out().lines().anyMatch(l -> l.strip().startsWith(name + " ")), name + " in\n" + text.out());
        }
    }

    @Test
    void tcpCrrAsJsonAndText() throws Exception {
        Run r = run("client", "--tcp-crr", "-t", "1", "--warmup", "0", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode results = new ObjectMapper().readTree(r.out()).get("results");
        assertEquals(1, results.size(), "tcp_crr alone: not in the default set with the others");
        JsonNode crr = results.get(0);
        assertEquals("tcp_crr", crr.get("test").asText());
        assertEquals(1, crr.get("msg_size").asInt());
        assertTrue(crr.get("transactions_per_second").asDouble() > 0);
        assertEquals(crr.get("transactions").asDouble() / crr.get("seconds").asDouble(), crr.get("transactions_per_second").asDouble(),
                crr.get("transactions_per_second").asDouble() * 1e-6);
        assertEquals(0, crr.get("failed").asLong());
        for (String times : new String[]{"connect_us", "transaction_us"}) {
            for (String p : new String[]{"min", "mean", "p50", "p90", "p99", "p999", "max"}) {
                assertTrue(crr.get(times).get(p).asDouble() > 0, times + "." + p);
            }
        }
        assertTrue(crr.get("cpu").get("remote").get("process").has("cpus_used_percent"));
        Run text = run("client", "--tcp-crr", "-t", "0.3", "--warmup", "0", "-P", "2");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("tcp_crr:"), text.out());
        for (String name : new String[]{"tps", "transactions", "failed", "connect", "transaction", "rem_cpus_used"}) {
            assertTrue(text.out().lines().anyMatch(l -> l.trim().startsWith(name + " ")), name + " in\n" + text.out());
        }
        assertTrue(text.out().lines().anyMatch(l -> l.trim().startsWith("transaction ") && l.contains("p99.9")), text.out());
    }

    @Test
    void sweepAsTableAndCsv() {
        Run text = run("client", "--tcp-lat", "--msg", "1:4:*2", "-t", "0.2", "--warmup", "0");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("msg_size"), text.out());
        for (String size : new String[]{"1 B", "2 B", "4 B"}) {
            assertTrue(text.out().lines().anyMatch(l -> l.startsWith(size + " ")), size + " row in\n" + text.out());
        }
        Run csv = run("client", "--tcp-bw", "--msg", "1K:4K:+1K", "-t", "0.2", "--warmup", "0", "--csv");
        assertEquals(0, csv.code(), csv.err());
        var lines = csv.out().strip().lines().toList();
        assertEquals(5, lines.size(), csv.out());
        assertTrue(lines.get(0).startsWith("test,msg_size,"));
        assertTrue(lines.get(4).startsWith("tcp_bw,4096,1,false,"), lines.get(4));
    }

    @Test
    void httpAgainstAUrlAsJson() throws Exception {
        Run r = run("client", "--http", "-n", "500", "-c", "5", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode h = new ObjectMapper().readTree(r.out()).get("results").get(0);
        assertEquals("http", h.get("test").asText());
        assertEquals(500, h.get("complete").asInt());
        assertEquals(0, h.get("failed").get("total").asInt());
        assertTrue(h.get("requests_per_second").asDouble() > 0);
        for (String phase : new String[]{"latency_us", "connect_us", "ttfb_us", "total_us"}) {
            for (String p : new String[]{"p50", "p99", "p999", "p100", "mean", "sd"}) {
                assertTrue(h.get(phase).has(p), phase + "." + p);
            }
        }
        assertTrue(h.get("cpu").get("local").get("process").has("cpus_used_percent"));
        assertFalse(h.get("cpu").has("remote"), "an HTTP server reports no CPU");
        Run text = run("client", "--http", "-n", "200", "-c", "2", "--no-keepalive");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("Keep-Alive requests:   0"), text.out());
        assertTrue(text.out().contains("Connect:") && text.out().contains("Waiting:") && text.out().contains("99.9%"), text.out());
    }

    @Test
    void httpSweepRequestsEveryBodySize() throws Exception {
        Run r = run("client", "--http", "--msg", "1:4K:*16", "-n", "50", "--warmup", "0", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode results = new ObjectMapper().readTree(r.out()).get("results");
        int[] sizes = {1, 16, 256, 4096};
        assertEquals(sizes.length, results.size());
        for (int i = 0; i < sizes.length; i++) {
            assertEquals(sizes[i], results.get(i).get("msg_size").asInt());
            assertEquals(sizes[i], results.get(i).get("document_length").asInt());
            assertEquals(50L * sizes[i], results.get(i).get("body_bytes").asLong());
            assertTrue(results.get(i).get("url").asText().endsWith("/bytes/" + sizes[i]));
        }
    }

    @Test
    void serverOnABusyPortFailsWithOneLine() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            Run r = run("server", "-p", String.valueOf(busy.getLocalPort()), "--http-port", "0");
            assertEquals(1, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("netbench: cannot listen on * ports " + busy.getLocalPort() + "/0: "), r.err());
        }
    }

    @Test
    void httpToNothingFailsWithOneLine() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        for (String[] limit : new String[][]{{"-n", "3"}, {"-t", "10"}}) {
            long t0 = System.nanoTime();
            Run r = run("client", "--http", limit[0], limit[1], "http://127.0.0.1:" + closed + "/");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(1, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("netbench: connection to 127.0.0.1:" + closed + " refused: nothing is listening there"), r.err());
            assertTrue(seconds < 3, "stopped at the first refusal, not after " + limit[0] + " " + limit[1] + ": " + seconds + " s");
        }
    }

    @Test
    void httpWithATimeLimitReportsItsWindowExactly() throws Exception {
        Run r = run("client", "--http", "-t", "0.5", "--warmup", "0.2", "-c", "2", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode h = new ObjectMapper().readTree(r.out()).get("results").get(0);
        assertEquals(0.5, h.get("seconds").asDouble(), "the window is -t, by the clock");
        assertTrue(h.get("complete").asLong() > 0);
        assertEquals(h.get("complete").asLong() / 0.5, h.get("requests_per_second").asDouble(), "complete in the window / its seconds");
        assertTrue(h.get("in_flight_at_end").asLong() >= 0 && h.get("in_flight_at_end").asLong() <= 2, h.toString());
        assertEquals("complete_requests", h.get("percentiles_of").asText());
        assertFalse(h.has("late") || h.has("lateness_us"), "a closed loop has no schedule to be late for");
        Run open = run("client", "--http", "-t", "0.5", "--warmup", "0", "--rate", "200", "--json");
        assertEquals(0, open.code(), open.err());
        JsonNode o = new ObjectMapper().readTree(open.out()).get("results").get(0);
        for (String key : new String[]{"late", "missed", "lateness_us", "latency_uncorrected_us", "in_flight_at_end"}) {
            assertTrue(o.has(key), key);
        }
        Run text = run("client", "--http", "-t", "0.3", "--warmup", "0", "--rate", "100");
        assertEquals(0, text.code(), text.err());
        for (String line : new String[]{"In flight at end:", "Late requests:", "Missed requests:",
                "Connection Times (us), of complete requests only", "Percentage of the complete requests served"}) {
            assertTrue(text.out().contains(line), line + " in\n" + text.out());
        }
    }

    @Test
    void reverseAppliesToTcpBwAndLeavesTheOtherTestsOfTheRunAlone() throws Exception {
        Run r = run("client", "--tcp-bw", "--tcp-lat", "-R", "-t", "0.2", "--warmup", "0", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode results = new ObjectMapper().readTree(r.out()).get("results");
        assertTrue(results.get(0).get("reverse").asBoolean(), "tcp_bw reversed");
        assertFalse(results.get(1).get("reverse").asBoolean(), "tcp_lat has no direction");
        assertTrue(results.get(1).get("round_trips").asLong() > 0);
    }

    @Test
    void singleSizeIsAQperfStyleBlock() {
        Run r = run("client", "--tcp-bw", "-t", "0.3", "--warmup", "0", "-P", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("tcp_bw:"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("bw ") && l.contains("bit/s")), r.out());
        assertTrue(r.out().contains("stream_2"), r.out());
        assertTrue(r.out().contains("loc_cpus_used") && r.out().contains("rem_process_cpus_used")
                && r.out().contains("= n/a (not separable"), r.out());
    }

    /** A loopback agent that requires a token and takes remote-driven tests, its token written to {@code token}. */
    private static dev.netbench.server.NetbenchServer tokenAgent(java.nio.file.Path token) throws Exception {
        java.nio.file.Files.writeString(token, "loopback-matrix-token\n");
        return dev.netbench.server.NetbenchServer.start(
                dev.netbench.server.ServerOptions.loopback().withToken(dev.netbench.auth.Token.of("loopback-matrix-token"), true),
                line -> { });
    }

    @Test
    void matrixAndCompareAgainstALoopbackAgent(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path token = dir.resolve("token");
        dev.netbench.server.NetbenchServer agent = tokenAgent(token);
        try {
            Run r = run("matrix", "--peers", "127.0.0.1:" + agent.address().getPort(), "--tests", "tcp_lat,http", "-t", "0.3",
                    "--warmup", "0", "--token-file", token.toString(), "--json", "-q", "--label", "loopback");
            assertEquals(0, r.code(), r.err());
            com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
            assertEquals("node-self", doc.get("scenarios").get(0).get("scenario").asText(), "one agent: itself, through its address");
            assertTrue(doc.get("scenarios").get(0).get("values").get("tcp_lat").asDouble() > 0);
            assertTrue(doc.get("scenarios").get(0).get("values").get("http").asDouble() > 0);
            java.nio.file.Path saved = dir.resolve("a.json");
            java.nio.file.Files.writeString(saved, r.out());
            Run c = run("compare", saved.toString(), saved.toString());
            assertEquals(0, c.code(), c.err());
            assertTrue(c.out().contains("NodeB>NodeB") && c.out().contains("+0.0 %"), c.out());

            Run wrong = run("matrix", "--peers", "127.0.0.1:" + agent.address().getPort(), "--tests", "tcp_lat",
                    "--token-file", "/dev/null");
            assertEquals(2, wrong.code(), "an empty token file is a usage error: " + wrong.err());
        } finally {
            agent.close();
        }
    }

    @Test
    void matrixTcpLatLoadedHasIdleAndLoadedP99ForRemoteAndLocalRuns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path token = dir.resolve("token");
        dev.netbench.server.NetbenchServer agent = tokenAgent(token);
        try {
            String at = "127.0.0.1:" + agent.address().getPort();
            // node-self: the agent runs the client (a remote-driven test); outside: this process does
            Run r = run("matrix", "--peers", at, "--external", at, "--tests", "tcp_lat_loaded", "-t", "0.3", "--warmup", "0.1",
                    "--token-file", token.toString(), "--json", "-q");
            assertEquals(0, r.code(), r.err());
            JsonNode doc = new ObjectMapper().readTree(r.out());
            List<String> columns = new java.util.ArrayList<>();
            doc.get("columns").forEach(c -> columns.add(c.get("key").asText()));
            assertEquals(List.of("tcp_lat", "tcp_lat_idle_p99", "tcp_lat_loaded_p99"), columns);
            assertEquals(2, doc.get("scenarios").size());
            for (JsonNode row : doc.get("scenarios")) {
                JsonNode v = row.get("values");
                assertTrue(v.get("tcp_lat").asDouble() > 0 && v.get("tcp_lat_idle_p99").asDouble() > 0
                        && v.get("tcp_lat_loaded_p99").asDouble() > 0, row.toString());
            }
            Run plain = run("matrix", "--peers", at, "--tests", "tcp_lat", "-t", "0.2", "--warmup", "0",
                    "--token-file", token.toString(), "--json", "-q");
            assertEquals(0, plain.code(), plain.err());
            assertEquals(1, new ObjectMapper().readTree(plain.out()).get("columns").size(), "loaded columns only when asked");
        } finally {
            agent.close();
        }
    }

    @Test
    void matrixCarriesTcpBwsSocketKnobsToBothEndsOfEveryTcpBw(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.netbench.transport.Transport.best().name().equals("epoll"),
                "-M, -C and -Z need native epoll");
        java.nio.file.Path token = dir.resolve("token");
        dev.netbench.server.NetbenchServer agent = tokenAgent(token);
        try {
            String at = "127.0.0.1:" + agent.address().getPort();
            // node-self: the agent runs the client (a remote-driven test); outside: this process does
            Run r = run("matrix", "--peers", at, "--external", at, "--tests", "tcp_bw,tcp_lat", "-t", "0.3", "--warmup", "0",
                    "--token-file", token.toString(), "--json", "-q", "-N", "-w", "256K", "-M", "1000", "-C", "reno", "-S", "0x10", "-Z");
            assertEquals(0, r.code(), r.err());
            JsonNode doc = new ObjectMapper().readTree(r.out());
            assertTrue(doc.get("title").asText().contains("(tcp_bw -N -w 256K -M 1000 -C reno -S 0x10 -Z)"), doc.get("title").asText());
            JsonNode asked = doc.get("settings").get("tcp_bw_sockets");
            assertTrue(asked.get("nodelay").asBoolean() && asked.get("zerocopy").asBoolean(), asked.toString());
            assertEquals(262144, asked.get("window_bytes").asInt());
            assertEquals(1000, asked.get("mss").asInt());
            assertEquals("reno", asked.get("congestion").asText());
            assertEquals(16, asked.get("tos").asInt());
            // Linux grants twice the request, capped at wmem_max / rmem_max
            int sndbuf = 2 * (int) Math.min(262144, sysctl("net/core/wmem_max"));
            int rcvbuf = 2 * (int) Math.min(262144, sysctl("net/core/rmem_max"));
            List<String> scenarios = new java.util.ArrayList<>();
            for (JsonNode row : doc.get("scenarios")) {
                scenarios.add(row.get("scenario").asText());
                JsonNode read = row.get("tcp_bw_socket");
                assertTrue(row.get("values").get("tcp_bw").asDouble() > 0, row.toString());
                assertTrue(read.get("nodelay").asBoolean() && read.get("zerocopy").asBoolean(), row.toString());
                assertEquals("reno", read.get("congestion").asText(), row.toString());
                for (String end : List.of("sender", "receiver")) {
                    JsonNode s = read.get("socket").get(end);
                    String what = end + " in " + row;
                    assertTrue(s.get("nodelay").asBoolean(), what);
                    assertEquals(end.equals("sender"), s.get("zerocopy").asBoolean(), what);
                    assertEquals(sndbuf, s.get("sndbuf_bytes").asInt(), what);
                    assertEquals(rcvbuf, s.get("rcvbuf_bytes").asInt(), what);
                    assertEquals("reno", s.get("congestion").asText(), what);
                    assertEquals(16, s.get("tos").asInt(), what);
                    assertTrue(s.get("mss").asInt() > 0 && s.get("mss").asInt() <= 1000, what);
                }
            }
            assertEquals(List.of("node-self", "external-lb-pod"), scenarios);
        } finally {
            agent.close();
        }
    }

    private static long sysctl(String name) throws java.io.IOException {
        return Long.parseLong(String.join("", java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/sys/" + name))).trim());
    }
}
