package dev.netbench.it;

import dev.netbench.NetbenchException;
import dev.netbench.client.Client;
import dev.netbench.client.ClientSettings;
import dev.netbench.protocol.TestKind;
import dev.netbench.cpu.Cost;
import dev.netbench.server.NetbenchServer;
import dev.netbench.server.ServerOptions;
import dev.netbench.report.Bandwidth;
import dev.netbench.report.ConnectRate;
import dev.netbench.report.Latency;
import dev.netbench.report.RunReport;
import dev.netbench.report.TcpFigures;
import dev.netbench.report.TestResult;
import dev.netbench.testing.FirstConnectionProxy;
import dev.netbench.transport.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real server, real client, real sockets over loopback. Figures are checked for consistency, never for speed. */
class LoopbackTest {
    @RegisterExtension
    final Loopback lo = new Loopback();
    private final List<String> progress = new CopyOnWriteArrayList<>();

    private RunReport run(ClientSettings s) throws InterruptedException {
        return Client.run(s, progress::add);
    }

    private static void assertBandwidthConsistent(Bandwidth b, int streams, double seconds) {
        assertEquals(streams, b.perStream().size());
        assertTrue(b.bytes() > 0, "receiver counted bytes");
        assertTrue(b.bytesSent() >= b.bytes(), "sender counted at least what arrived: " + b.bytesSent() + " < " + b.bytes());
        double sumBps = 0;
        long sumBytes = 0;
        for (Bandwidth.Stream st : b.perStream()) {
            assertTrue(st.seconds() > seconds * 0.8 && st.seconds() < seconds + 2, "window " + st.seconds());
            assertEquals(st.bytes() * 8 / st.seconds(), st.bitsPerSecond(), st.bitsPerSecond() * 1e-9);
            sumBps += st.bitsPerSecond();
            sumBytes += st.bytes();
        }
        assertEquals(sumBytes, b.bytes());
        if (b.common() != null && b.common().read()) {
            // several streams: summed over the window they share, not over each one's own
            assertTrue(streams > 1, "one stream has no common window");
            assertEquals(b.common().bytes() * 8 / b.common().seconds(), b.bitsPerSecond(), b.bitsPerSecond() * 1e-9);
        } else {
            assertEquals(sumBps, b.bitsPerSecond(), sumBps * 1e-9);
        }
        // client and agent share this process (and host): no cost may be charged to either end, and each says why
        for (Cost c : List.of(b.sendCost(), b.recvCost())) {
            assertTrue(Double.isNaN(c.host()) && Double.isNaN(c.hostNet()) && Double.isNaN(c.process()), c.toString());
            assertTrue(c.hostMissing().contains("one process") && c.processMissing().contains("one process"), c.toString());
        }
    }

    /** The kernel's count of TCP segments retransmitted in this network namespace (/proc/net/snmp, Tcp RetransSegs). */
    private static long retransSegs() throws IOException {
        List<String> tcp = Files.readAllLines(Path.of("/proc/net/snmp")).stream().filter(l -> l.startsWith("Tcp: ")).toList();
        int i = List.of(tcp.get(0).split(" ")).indexOf("RetransSegs");
        return Long.parseLong(tcp.get(1).split(" ")[i]);
    }

    /**
     * The sender's TCP_INFO over the window, per stream and summed. A loopback run has no loss, but on a busy host
     * a delayed ACK still sets off tail-loss probes and fast retransmits (iperf3 shows them too), so the window's
     * retransmits are bounded by what the kernel counted for the whole namespace meanwhile, not asserted 0.
     */
    private static void assertSenderTcp(Bandwidth b, long retransBefore) throws IOException {
        if (!Transport.best().name().equals("epoll")) {
            assertNull(b.senderTcp().figures());
            assertTrue(b.senderTcp().unavailable().contains("Java NIO"), b.senderTcp().unavailable());
            return;
        }
        long kernel = retransSegs() - retransBefore;
        // TCP_INFO's pmtu is the route's MTU capped at IP's 65535-byte datagram; MSS = pmtu - 40 (IP, TCP) - options
        long pmtu = Math.min(65535, Long.parseLong(Files.readString(Path.of("/sys/class/net/lo/mtu")).trim()));
        long retransmits = 0;
        for (Bandwidth.Stream st : b.perStream()) {
            TcpFigures f = st.senderTcp().figures();
            assertNotNull(f, st.senderTcp().unavailable());
            assertEquals(pmtu, f.pmtu(), f.toString());
            assertTrue(f.sndMss() <= pmtu - 40 && f.sndMss() >= pmtu - 80, f.toString());
            assertTrue(f.sndCwnd() > 0 && f.sndCwnd() % f.sndMss() == 0, "cwnd in bytes, whole segments: " + f);
            assertTrue(f.rttUs() > 0 && f.rttvarUs() >= 0, f.toString());
            retransmits += f.retransmits();
        }
        TcpFigures sum = b.senderTcp().figures();
        assertEquals(retransmits, sum.retransmits());
        assertTrue(sum.retransmits() >= 0 && sum.retransmits() <= kernel,
                "window's retransmits " + sum.retransmits() + " within the namespace's " + kernel);
    }

    @Test
    void tcpBandwidth() throws Exception {
        long retrans = retransSegs();
        RunReport r = run(lo.settings(List.of(TestKind.TCP_BW), List.of(65536), 1.0, 1, false));
        assertEquals(1, r.results().size());
        TestResult t = r.results().get(0);
        assertEquals(TestKind.TCP_BW, t.test());
        assertNull(t.latency());
        assertBandwidthConsistent(t.bandwidth(), 1, 1.0);
        assertSenderTcp(t.bandwidth(), retrans);
        assertEquals(t.bandwidth().bytes() / 65536.0, t.bandwidth().msgRate() * t.bandwidth().seconds(), 1.0,
                "every received message is whole");
        assertNotNull(r.remote());
        assertTrue(lo.log.stream().anyMatch(l -> l.startsWith("event=served test=tcp_bw reverse=false stream=1/1 msg_size=65536 peer=/127.0.0.1:")), lo.log.toString());
    }

    @Test
    void tcpBandwidthReverse() throws Exception {
        long retrans = retransSegs();
        RunReport r = run(lo.settings(List.of(TestKind.TCP_BW), List.of(131072), 1.0, 1, true));
        TestResult t = r.results().get(0);
        assertTrue(t.reverse());
        assertBandwidthConsistent(t.bandwidth(), 1, 1.0);
        assertSenderTcp(t.bandwidth(), retrans); // the agent's, from its RESULT
        assertTrue(lo.log.stream().anyMatch(l -> l.startsWith("event=served test=tcp_bw reverse=true") && !l.contains("bytes_sent=0 ")), lo.log.toString());
    }

    @Test
    void tcpBandwidthFourStreams() throws Exception {
        long retrans = retransSegs();
        RunReport r = run(lo.settings(List.of(TestKind.TCP_BW), List.of(), 1.0, 4, false));
        TestResult t = r.results().get(0);
        assertEquals(4, t.streams());
        assertEquals(131072, t.msgSize(), "default tcp_bw message size");
        assertBandwidthConsistent(t.bandwidth(), 4, 1.0);
        assertSenderTcp(t.bandwidth(), retrans);
        assertEquals(4, lo.log.stream().filter(l -> l.matches(".* stream=[1-4]/4 .*")).count(), lo.log.toString());
    }

    @Test
    void tcpLatency() throws InterruptedException {
        RunReport r = run(lo.settings(List.of(TestKind.TCP_LAT), List.of(), 1.0, 1, false));
        TestResult t = r.results().get(0);
        Latency l = t.latency();
        assertNull(t.bandwidth());
        assertEquals(1, t.msgSize(), "default tcp_lat message size");
        assertTrue(l.roundTrips() > 100, "round trips " + l.roundTrips());
        assertEquals(l.rtt().mean() / 2, l.latencyUs(), 1e-9, "latency is qperf's RTT/2");
        assertTrue(l.rtt().min() <= l.rtt().p50() && l.rtt().p50() <= l.rtt().p90() && l.rtt().p90() <= l.rtt().p99()
                && l.rtt().p99() <= l.rtt().p999() && l.rtt().p999() <= l.rtt().max() * 1.001, l.rtt().toString());
        // msg_rate counts both directions; every timed round trip is inside the window, so the rate bounds them
        assertTrue(l.msgRate() * l.seconds() >= 2 * l.roundTrips() - 2, l.msgRate() + " " + l.roundTrips());
        // one message in flight: the window cannot hold more round trips than it has mean RTTs
        assertTrue(l.roundTrips() * l.rtt().mean() / 1e6 <= l.seconds() * 1.01, "round trips fit the window");
        assertEquals("blocking", l.io(), "each end waits for the other in read(2), on a thread of its own");
    }

    @Test
    void busyPollSpinsBothEndsAndSaysSo() throws InterruptedException {
        ClientSettings plain = lo.settings(List.of(TestKind.TCP_LAT), List.of(), 1.0, 1, false);
        ClientSettings spin = new ClientSettings(plain.host(), plain.port(), plain.tests(), plain.sizes(), plain.time(),
                plain.warmup(), 1, false, Duration.ZERO, plain.connectTimeout(), null, 0, null, null, false, true);
        TestResult t = run(spin).results().get(0);
        assertEquals("busy_poll", t.latency().io());
        assertTrue(t.latency().roundTrips() > 100, "round trips " + t.latency().roundTrips());
        // both ends are in this process and neither sleeps: together they keep at least one CPU busy all window
        assertTrue(t.localCpu().processCpusUsed() >= 100, "process CPU " + t.localCpu().processCpusUsed() + " % while both ends spin");
    }

    @Test
    void tcpConnectRate() throws InterruptedException {
        ClientSettings s = new ClientSettings("127.0.0.1", lo.port(), List.of(TestKind.TCP_CRR), List.of(), Duration.ofSeconds(1),
                Duration.ZERO, 2, false, Duration.ofMillis(250), Duration.ofSeconds(5), null, 0);
        RunReport r = run(s);
        TestResult t = r.results().get(0);
        ConnectRate c = t.connectRate();
        assertNull(t.latency());
        assertEquals(1, t.msgSize(), "default tcp_crr message size");
        assertEquals(2, t.streams());
        assertTrue(c.transactions() > 0, "transactions " + c.transactions());
        assertEquals(0, c.failed());
        assertTrue(c.seconds() > 0.9 && c.seconds() < 1.5, "window " + c.seconds());
        assertEquals(c.transactions() / c.seconds(), c.transactionsPerSecond(), c.transactionsPerSecond() * 1e-9);
        assertEquals(c.transactions(), c.transaction().count());
        assertEquals(c.transactions(), c.connect().count());
        assertTrue(c.connect().p50() <= c.transaction().p50(), c.connect() + " vs " + c.transaction());
        // one transaction in flight per loop: two loops cannot fit more transaction time than two windows (and a tail)
        assertTrue(c.transactions() * c.transaction().mean() <= 2 * (c.seconds() * 1e6 + c.transaction().max()),
                c.transactions() + " x " + c.transaction().mean() + " us");
        assertNotNull(t.remoteCpu());
        Matcher answered = Pattern.compile("\nnetbench_tcp_crr_transactions_total (\\d+)\n").matcher(lo.server.metrics().prometheusText());
        assertTrue(answered.find());
        assertTrue(Long.parseLong(answered.group(1)) >= c.transactions(), answered.group() + " < " + c.transactions());
        // one control connection served and logged; no line per transaction, and no connection closed in error
        assertEquals(1, lo.log.size(), lo.log.toString());
        assertTrue(lo.log.get(0).startsWith("event=served test=tcp_crr reverse=false stream=1/2 msg_size=1 "), lo.log.get(0));
        assertTrue(progress.stream().anyMatch(l -> l.contains("tcp_crr tps ")), "interval lines: " + progress);
    }

    @Test
    void parallelLatencyIntervalLinesArePerRoundTripNotDividedAcrossStreams() throws InterruptedException {
        // warm-up lines (a cold JIT) are excluded by the 1 s warm-up: the measured lines start after it
        ClientSettings s = new ClientSettings("127.0.0.1", lo.port(), List.of(TestKind.TCP_LAT, TestKind.TCP_CRR), List.of(),
                Duration.ofSeconds(2), Duration.ofSeconds(1), 4, false, Duration.ofMillis(400), Duration.ofSeconds(5), null, 0);
        RunReport r = run(s);
        IntervalLatencyLines.of(progress).assertAgreeWith(r.results().get(0).latency().latencyUs(), progress);
        Pattern crr = Pattern.compile("tcp_crr tps .+ transactions\\)  transaction p50 ([0-9.]+)  p99 ([0-9.]+) us");
        List<Matcher> lines = progress.stream().map(crr::matcher).filter(Matcher::find).toList();
        assertTrue(lines.size() >= 3, "tcp_crr interval lines: " + progress);
        lines.forEach(m -> assertTrue(Double.parseDouble(m.group(1)) <= Double.parseDouble(m.group(2)), m.group()));
    }

    @Test
    void tcpConnectRateCountsUnansweredTransactionsAsFailedAndEndsAnyway() throws Exception {
        // each loop's first transaction waits for an answer until END + the connect timeout; it is measured, and
        // fails, only if it started in the window rather than in the warm-up
        for (Duration warmup : List.of(Duration.ZERO, Duration.ofMillis(300))) {
            try (FirstConnectionProxy proxy = new FirstConnectionProxy(lo.port())) {
                ClientSettings s = new ClientSettings("127.0.0.1", proxy.port(), List.of(TestKind.TCP_CRR), List.of(),
                        Duration.ofMillis(500), warmup, 2, false, Duration.ZERO, Duration.ofSeconds(1), null, 0);
                long t0 = System.nanoTime();
                ConnectRate c = run(s).results().get(0).connectRate();
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertEquals(0, c.transactions());
                assertEquals(warmup.isZero() ? 2 : 0, c.failed(), "warm-up " + warmup);
                assertEquals(0.0, c.transactionsPerSecond());
                assertTrue(seconds >= 1.5 && seconds < 5, "ended after " + seconds + " s");
            }
        }
    }

    @Test
    void sweepRunsEveryTestAtEverySize() throws InterruptedException {
        List<Integer> sizes = List.of(1, 16, 256, 4096, 65536);
        RunReport r = run(lo.settings(List.of(TestKind.TCP_BW, TestKind.TCP_LAT), sizes, 0.25, 1, false));
        assertEquals(10, r.results().size());
        for (int i = 0; i < sizes.size(); i++) {
            assertEquals(sizes.get(i), r.results().get(2 * i).msgSize());
            assertEquals(TestKind.TCP_BW, r.results().get(2 * i).test());
            assertEquals(TestKind.TCP_LAT, r.results().get(2 * i + 1).test());
            assertTrue(r.results().get(2 * i).bandwidth().bytes() > 0);
            assertTrue(r.results().get(2 * i + 1).latency().roundTrips() > 0);
        }
        assertEquals(10, progress.size(), "one progress line per test of the sweep: " + progress);
    }

    @Test
    void eightClientsAtOnce() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Object> outcomes = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 8; i++) {
            TestKind kind = i % 2 == 0 ? TestKind.TCP_BW : TestKind.TCP_LAT;
            Thread t = new Thread(() -> {
                try {
                    outcomes.add(Client.run(lo.settings(List.of(kind), List.of(), 1.0, 1, false), line -> { }));
                } catch (Throwable e) {
                    outcomes.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(60_000);
            assertFalse(t.isAlive());
        }
        assertEquals(8, outcomes.size());
        outcomes.forEach(o -> assertTrue(o instanceof RunReport, "client failed: " + o));
        assertEquals(8, lo.log.stream().filter(l -> l.startsWith("event=served ")).count(), lo.log.toString());
    }

    @Test
    void closedPortFailsWithOneClearLine() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        ClientSettings s = new ClientSettings("127.0.0.1", closed, List.of(TestKind.TCP_BW), List.of(), Duration.ofSeconds(1),
                Duration.ZERO, 1, false, Duration.ZERO, Duration.ofSeconds(2), null, 0);
        NetbenchException e = assertThrows(NetbenchException.class, () -> run(s));
        assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + closed + ": "), e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains("refused"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void tcpBandwidthIntervalLinesCarryTheSendersRetransmitsAndCongestionWindow() throws InterruptedException {
        for (boolean reverse : new boolean[]{false, true}) {
            progress.clear();
            run(new ClientSettings("127.0.0.1", lo.port(), List.of(TestKind.TCP_BW), List.of(), Duration.ofMillis(500),
                    Duration.ZERO, 2, reverse, Duration.ofMillis(100), Duration.ofSeconds(5), null, 0));
            List<String> lines = progress.stream().filter(l -> l.contains("] tcp_bw ")).toList();
            assertFalse(lines.isEmpty(), "interval lines: " + progress);
            // only the sending end reads TCP_INFO: the client forward, on epoll; with -R the agent's come at the end
            boolean expected = !reverse && Transport.best().name().equals("epoll");
            for (String l : lines) {
                assertEquals(expected, l.matches(".*  retr \\d+  cwnd [0-9.]+ [kMG]?B( .*)?"), l);
            }
        }
    }

    @Test
    void loopbackSelfTestWithoutHost() throws InterruptedException {
        ClientSettings s = new ClientSettings(null, 0, List.of(TestKind.TCP_LAT), List.of(), Duration.ofMillis(300),
                Duration.ZERO, 1, false, Duration.ofMillis(100), Duration.ofSeconds(2), null, 0);
        assertThrows(IllegalArgumentException.class, () -> Client.run(s, progress::add), "no host and no server to start");
        RunReport r = Client.run(s, progress::add, () -> NetbenchServer.start(ServerOptions.loopback(), line -> { }));
        assertTrue(r.loopbackSelfTest());
        assertTrue(r.target().startsWith("loopback self-test 127.0.0.1:"), r.target());
        assertTrue(progress.stream().anyMatch(l -> l.contains("tcp_lat msg_rate")), "interval lines: " + progress);
    }
}
