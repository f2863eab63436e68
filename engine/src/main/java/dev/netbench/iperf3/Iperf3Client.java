package dev.netbench.iperf3;

import dev.netbench.NetbenchException;
import dev.netbench.cpu.Cost;
import dev.netbench.cpu.CpuSampler;
import dev.netbench.cpu.CpuSnapshot;
import dev.netbench.cpu.CpuUsage;
import dev.netbench.cpu.ProcessCpu;
import dev.netbench.host.Identity;
import dev.netbench.host.Version;
import dev.netbench.json.Json;
import dev.netbench.json.JsonException;
import dev.netbench.json.JsonWriter;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.Bandwidth;
import dev.netbench.report.Datagrams;
import dev.netbench.report.RunReport;
import dev.netbench.report.SenderTcp;
import dev.netbench.report.TestResult;
import dev.netbench.report.UdpErrors;
import dev.netbench.report.Units;
import dev.netbench.session.Pacer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * netbench as an iperf3 client: runs one TCP or UDP bandwidth test against an iperf3 3.x server (or a netbench
 * agent's iperf3 side) over iperf3's own protocol, and reports it as a netbench tcp_bw or udp_bw result, plus the
 * {@link Iperf3Summary} that --json-iperf3 writes. Blocking sockets, a thread per stream: an iperf3 server runs
 * one test of at most 128 streams at a time.
 */
public final class Iperf3Client {
    private static final long STEP_TIMEOUT_MILLIS = 15_000;
    /** iperf3's results exchange carries no congestion window, MSS or RTT, so netbench's TCP_INFO figures are not had. */
    private static final SenderTcp NO_TCP_INFO = SenderTcp.unavailable("not measured over iperf3's protocol");

    /** A test: {@code seconds} measured after {@code omitSeconds} (netbench's --warmup, iperf3's -O). */
    public record Settings(String host, int port, boolean udp, int parallel, boolean reverse, int seconds, int omitSeconds,
                           int blockSize, long bitsPerSecond, long connectTimeoutMillis, double intervalSeconds) {
        public Settings {
            if (parallel < 1 || parallel > Iperf3.MAX_STREAMS) {
                throw new IllegalArgumentException("iperf3 runs 1.." + Iperf3.MAX_STREAMS + " parallel streams");
            }
            if (seconds < 1 || seconds > Iperf3.MAX_SECONDS) {
                throw new IllegalArgumentException("iperf3 test time must be whole seconds, 1.." + Iperf3.MAX_SECONDS);
            }
            if (udp && (blockSize < Iperf3.MIN_UDP_BLOCK || blockSize > Iperf3.MAX_UDP_BLOCK)) {
                throw new IllegalArgumentException("iperf3 UDP block size must be " + Iperf3.MIN_UDP_BLOCK + ".." + Iperf3.MAX_UDP_BLOCK + " bytes");
            }
            if (!udp && (blockSize < 1 || blockSize > Iperf3.MAX_TCP_BLOCK)) {
                throw new IllegalArgumentException("iperf3 TCP block size must be 1.." + Iperf3.MAX_TCP_BLOCK + " bytes");
            }
        }
    }

    /** What the run measured, in netbench's report and in iperf3's shape. */
    public record Run(RunReport report, Iperf3Summary summary) {
    }

    private final Settings settings;
    private final Consumer<String> progress;
    private final String target;
    private final String cookie = Iperf3.newCookie();
    private final List<Stream> streams = new ArrayList<>();
    private Socket control;
    private DataInputStream in;
    private OutputStream out;
    private volatile boolean stop;
    private long startNanos;
    private long measureFrom;

    private Iperf3Client(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
        this.target = "iperf3 server " + settings.host() + ":" + settings.port();
    }

    public static Run run(Settings settings, Consumer<String> progress) throws InterruptedException {
        Iperf3Client c = new Iperf3Client(settings, progress);
        try {
            return c.test();
        } catch (IOException e) {
            throw new NetbenchException(c.target + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } finally {
            c.closeAll();
        }
    }

    private Run test() throws IOException, InterruptedException {
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        if (address.isUnresolved()) {
            throw new NetbenchException("cannot resolve host '" + settings.host() + "'");
        }
        control = new Socket();
        try {
            control.connect(address, (int) settings.connectTimeoutMillis());
        } catch (IOException e) {
            throw new NetbenchException("cannot reach " + target + ": " + e.getMessage(), e);
        }
        control.setTcpNoDelay(true);
        control.setSoTimeout((int) STEP_TIMEOUT_MILLIS);
        in = new DataInputStream(control.getInputStream());
        out = control.getOutputStream();
        out.write(Iperf3.cookieBytes(cookie));
        out.flush();
        expect(Iperf3.PARAM_EXCHANGE);
        Iperf3Params params = new Iperf3Params(settings.udp(), settings.parallel(), settings.reverse(), false, settings.seconds(),
                settings.omitSeconds(), settings.blockSize(), settings.bitsPerSecond(), 0, 0, false, 0, false, "3.12");
        writeJson(params.toJson());
        expect(Iperf3.CREATE_STREAMS);
        for (int i = 0; i < settings.parallel(); i++) {
            streams.add(settings.udp() ? udpStream(address, i) : tcpStream(address, i));
        }
        expect(Iperf3.TEST_START);
        expect(Iperf3.TEST_RUNNING);
        control.setSoTimeout(0);
        startNanos = System.nanoTime();
        measureFrom = startNanos + TimeUnit.SECONDS.toNanos(settings.omitSeconds());
        long endAt = measureFrom + TimeUnit.SECONDS.toNanos(settings.seconds());
        CpuSnapshot cpuStart = null;
        byte[] block = new byte[settings.blockSize()];
        ThreadLocalRandom.current().nextBytes(block);
        for (Stream s : streams) {
            s.start(block);
        }
        List<Iperf3Summary.Interval> intervals = new ArrayList<>();
        double intervalSeconds = settings.intervalSeconds() > 0 ? settings.intervalSeconds() : 1;
        long intervalNanos = (long) (intervalSeconds * 1e9);
        long[] lastBytes = new long[streams.size()];
        long[] lastPackets = new long[streams.size()];
        long last = startNanos;
        while (true) {
            long now = System.nanoTime();
            if (cpuStart == null && now - measureFrom >= 0) {
                cpuStart = CpuSampler.snapshot();
            }
            long next = Math.min(endAt, Math.min(last + intervalNanos, cpuStart == null ? measureFrom : Long.MAX_VALUE));
            if (next - now > 0) {
                checkControl();
                TimeUnit.NANOSECONDS.sleep(Math.min(next - now, 50_000_000));
                continue;
            }
            if (now - (last + intervalNanos) >= 0 || now - endAt >= 0) {
                intervals.add(interval(last, now, lastBytes, lastPackets));
                last = now;
            }
            if (now - endAt >= 0) {
                break;
            }
        }
        stop = true;
        long endNanos = System.nanoTime();
        CpuUsage localCpu = CpuSampler.snapshot().since(cpuStart != null ? cpuStart : CpuSampler.snapshot());
        double seconds = (endNanos - measureFrom) / 1e9;
        out.write(Iperf3.TEST_END);
        out.flush();
        control.setSoTimeout((int) STEP_TIMEOUT_MILLIS);
        expect(Iperf3.EXCHANGE_RESULTS);
        writeJson(resultsJson(localCpu, seconds));
        Map<String, Object> remote = readJson();
        expect(Iperf3.DISPLAY_RESULTS);
        out.write(Iperf3.IPERF_DONE);
        out.flush();
        return results(remote, localCpu, seconds, intervals);
    }

    private Iperf3Summary.Interval interval(long from, long to, long[] lastBytes, long[] lastPackets) {
        long[] bytes = new long[streams.size()];
        long[] packets = new long[streams.size()];
        for (int i = 0; i < streams.size(); i++) {
            long b = streams.get(i).allBytes;
            long p = streams.get(i).allPackets;
            bytes[i] = b - lastBytes[i];
            packets[i] = p - lastPackets[i];
            lastBytes[i] = b;
            lastPackets[i] = p;
        }
        double start = (from - startNanos) / 1e9;
        double end = (to - startNanos) / 1e9;
        boolean omitted = to - measureFrom <= 0;
        if (settings.intervalSeconds() > 0) {
            long sum = 0;
            for (long b : bytes) {
                sum += b;
            }
            progress.accept(String.format(Locale.ROOT, "[%6.2f-%6.2f s] %s %s%s", start, end,
                    settings.udp() ? "udp_bw" : "tcp_bw", Units.bitsPerSecond(end > start ? sum * 8 / (end - start) : 0),
                    omitted ? " (warm-up)" : ""));
        }
        return new Iperf3Summary.Interval(start, end, bytes, packets, omitted);
    }

    /** During the test the server says nothing on the control connection, unless it gives up. */
    private void checkControl() throws IOException {
        if (in.available() > 0) {
            int b = in.read();
            throw new NetbenchException(target + " stopped the test: " + describe((byte) b));
        }
    }

    private Stream tcpStream(InetSocketAddress address, int index) throws IOException {
        Socket s = new Socket();
        s.connect(address, (int) settings.connectTimeoutMillis());
        s.getOutputStream().write(Iperf3.cookieBytes(cookie));
        return new Stream(index, s, null);
    }

    private Stream udpStream(InetSocketAddress address, int index) throws IOException {
        DatagramSocket s = new DatagramSocket();
        s.setReceiveBufferSize(4 * 1024 * 1024);
        s.setSendBufferSize(4 * 1024 * 1024);
        s.connect(address);
        byte[] connect = ByteBuffer.allocate(4).putInt(Iperf3.UDP_CONNECT_MSG).array();
        s.send(new DatagramPacket(connect, 4));
        s.setSoTimeout((int) Math.max(1000, settings.connectTimeoutMillis()));
        DatagramPacket reply = new DatagramPacket(new byte[64], 64);
        try {
            s.receive(reply);
        } catch (SocketTimeoutException e) {
            s.close();
            throw new NetbenchException("no answer from " + target + " to UDP stream " + (index + 1) + "'s connect datagram");
        }
        return new Stream(index, null, s);
    }

    private void expect(byte state) throws IOException {
        int b;
        try {
            b = in.read();
        } catch (SocketTimeoutException e) {
            throw new NetbenchException("no " + Iperf3.stateName(state) + " from " + target + " within " + STEP_TIMEOUT_MILLIS / 1000 + " s");
        }
        if (b < 0) {
            throw new NetbenchException(target + " closed the control connection, expected " + Iperf3.stateName(state));
        }
        if ((byte) b != state) {
            throw new NetbenchException(target + ": " + describe((byte) b) + " (expected " + Iperf3.stateName(state) + ")");
        }
    }

    private String describe(byte b) throws IOException {
        return switch (b) {
            case Iperf3.ACCESS_DENIED -> "the server is busy running a test (ACCESS_DENIED)";
            case Iperf3.SERVER_TERMINATE -> "the server terminated the test";
            case Iperf3.SERVER_ERROR -> {
                int code = in.readInt();
                int errno = in.readInt();
                yield "server error " + code + (errno != 0 ? " (errno " + errno + ")" : "") + errorMessage(code);
            }
            default -> "unexpected " + Iperf3.stateName(b);
        };
    }

    private static String errorMessage(int code) {
        return switch (code) {
            case Iperf3.ERR_DURATION -> ": test duration too long";
            case Iperf3.ERR_STREAMS -> ": too many parallel streams";
            case Iperf3.ERR_BLOCK, Iperf3.ERR_UDP_BLOCK -> ": block size out of range";
            case Iperf3.ERR_NOT_IMPLEMENTED -> ": an option is not implemented by the server";
            case Iperf3.ERR_RECV_PARAMS -> ": the server could not take the parameters";
            case Iperf3.ERR_SERVER_BUSY -> ": the server is busy running a test";
            default -> "";
        };
    }

    private void writeJson(String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        out.write(ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).array());
        out.flush();
    }

    private Map<String, Object> readJson() throws IOException {
        long length = in.readInt() & 0xFFFFFFFFL;
        if (length == 0 || length > Iperf3.MAX_JSON) {
            throw new NetbenchException(target + " sent a results length of " + length + " bytes (at most " + Iperf3.MAX_JSON + ")");
        }
        byte[] b = new byte[(int) length];
        in.readFully(b);
        try {
            return Json.parseObjectLastDuplicateWins(new String(b, StandardCharsets.UTF_8));
        } catch (JsonException e) {
            throw new NetbenchException(target + " sent results that are not a JSON object: " + e.getMessage());
        }
    }

    private String resultsJson(CpuUsage cpu, double seconds) {
        double wall = cpu.wallSeconds();
        double user = wall > 0 ? 100 * cpu.process().user() / wall : 0;
        double system = wall > 0 ? 100 * cpu.process().system() / wall : 0;
        JsonWriter w = new JsonWriter(false).beginObject(null)
                .value("cpu_util_total", user + system).value("cpu_util_user", user).value("cpu_util_system", system)
                .value("sender_has_retransmits", settings.reverse() ? -1 : 0);
        w.beginArray("streams");
        for (Stream s : streams) {
            w.beginObject(null).value("id", s.id).value("bytes", s.bytes).value("retransmits", -1)
                    .value("jitter", s.jitterSeconds()).value("errors", s.lost()).value("packets", s.sending ? s.packets : s.expected())
                    .value("start_time", 0).value("end_time", seconds).endObject();
        }
        return w.endArray().endObject().toString();
    }

    @SuppressWarnings("unchecked")
    private Run results(Map<String, Object> remote, CpuUsage localCpu, double seconds, List<Iperf3Summary.Interval> intervals) {
        Map<Long, Map<String, Object>> byId = new HashMap<>();
        if (remote.get("streams") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m && m.get("id") instanceof Long id) {
                    byId.put(id, (Map<String, Object>) m);
                }
            }
        }
        double remoteUser = number(remote, "cpu_util_user", Double.NaN);
        double remoteSystem = number(remote, "cpu_util_system", Double.NaN);
        boolean remoteRetransmits = number(remote, "sender_has_retransmits", 0) == 1;
        List<Iperf3Summary.StreamEnd> ends = new ArrayList<>();
        List<Bandwidth.Stream> perStream = new ArrayList<>();
        long received = 0;
        long sent = 0;
        double bps = 0;
        double sendBps = 0;
        double maxSeconds = 0;
        long datagramsSent = 0;
        long datagramsReceived = 0;
        long datagramsLost = 0;
        long outOfOrder = 0;
        double jitterMs = 0;
        for (Stream s : streams) {
            Map<String, Object> r = byId.get((long) s.id);
            if (r == null) {
                throw new NetbenchException(target + " sent no results for stream " + s.id);
            }
            long remoteBytes = (long) number(r, "bytes", 0);
            double remoteSeconds = number(r, "end_time", seconds) - number(r, "start_time", 0);
            Iperf3Summary.Side local;
            Iperf3Summary.Side other;
            if (s.sending) {
                long lost = settings.udp() ? (long) number(r, "errors", 0) : 0;
                long packets = settings.udp() ? (long) number(r, "packets", 0) : 0;
                local = new Iperf3Summary.Side(0, seconds, seconds, s.bytes, -1, 0, 0, s.packets, 0);
                long got = settings.udp() ? remoteBytes / settings.blockSize() : 0;
                // lost as iperf3 counts it: the receiver's gaps in the sequence numbers up to the highest it saw
                other = new Iperf3Summary.Side(0, remoteSeconds, remoteSeconds, remoteBytes, -1, number(r, "jitter", 0) * 1e3,
                        lost, packets, 0);
                ends.add(new Iperf3Summary.StreamEnd(s.id, local, other));
                datagramsSent += s.packets;
                datagramsReceived += got;
                datagramsLost += lost;
            } else {
                long remotePackets = settings.udp() ? remoteBytes / settings.blockSize() : 0;
                long retransmits = remoteRetransmits ? (long) number(r, "retransmits", -1) : -1;
                other = new Iperf3Summary.Side(0, remoteSeconds, remoteSeconds, remoteBytes, retransmits, 0, 0, remotePackets, 0);
                local = new Iperf3Summary.Side(0, seconds, seconds, s.bytes, -1, s.jitterSeconds() * 1e3,
                        s.lost(), s.expected(), s.outOfOrder());
                ends.add(new Iperf3Summary.StreamEnd(s.id, other, local));
                datagramsSent += remotePackets;
                datagramsReceived += s.datagrams();
                datagramsLost += s.lost();
                outOfOrder += s.outOfOrder();
            }
            Iperf3Summary.StreamEnd e = ends.get(ends.size() - 1);
            jitterMs += e.receiver().jitterMs() / streams.size();
            double streamBps = e.receiver().bitsPerSecond();
            perStream.add(new Bandwidth.Stream(perStream.size() + 1, e.receiver().bytes(), e.sender().bytes(), e.receiver().seconds(), streamBps,
                    settings.udp() ? null : NO_TCP_INFO));
            received += e.receiver().bytes();
            sent += e.sender().bytes();
            bps += streamBps;
            sendBps += e.sender().bitsPerSecond();
            maxSeconds = Math.max(maxSeconds, e.receiver().seconds());
        }
        // the server's CPU as iperf3 reports it (% of one CPU over the test): enough for its cost per GB
        String hostUnknown = "iperf3 reports its process's CPU only";
        CpuUsage remoteCpu = Double.isNaN(remoteUser) ? null : new CpuUsage(seconds,
                new ProcessCpu(remoteUser / 100 * seconds, remoteSystem / 100 * seconds), 0, null,
                null, null, hostUnknown, null, hostUnknown);
        CpuUsage senderCpu = settings.reverse() ? remoteCpu : localCpu;
        CpuUsage receiverCpu = settings.reverse() ? localCpu : remoteCpu;
        Datagrams datagrams = null;
        if (settings.udp()) {
            long expected = datagramsReceived + datagramsLost;
            UdpErrors notMeasured = UdpErrors.unavailable("not measured over iperf3's protocol");
            datagrams = new Datagrams(datagramsSent, datagramsReceived, datagramsLost, expected > 0 ? 100.0 * datagramsLost / expected : 0,
                    jitterMs, outOfOrder, 0, sendBps, Double.NaN, Double.NaN, notMeasured, notMeasured, -1);
        }
        Bandwidth bandwidth = new Bandwidth(received, sent, maxSeconds, bps,
                maxSeconds > 0 ? (double) received / settings.blockSize() / maxSeconds : Double.NaN,
                cost(senderCpu, sendBps / 8), cost(receiverCpu, bps / 8), perStream, datagrams,
                settings.udp() ? null : NO_TCP_INFO);
        TestKind kind = settings.udp() ? TestKind.UDP_BW : TestKind.TCP_BW;
        TestResult result = new TestResult(kind, settings.blockSize(), settings.parallel(), settings.reverse(), bandwidth,
                null, null, null, localCpu, null);
        Identity self = Identity.local();
        RunReport report = new RunReport(Version.get(), "iperf3://" + settings.host() + ":" + settings.port(), false, self, null,
                new RunReport.Settings(settings.seconds(), settings.omitSeconds(), settings.parallel(), settings.reverse(), "iperf3 protocol"),
                List.of(result));
        List<Iperf3Summary.Connected> connected = new ArrayList<>();
        for (Stream s : streams) {
            connected.add(s.connected());
        }
        String congestion = remote.get("congestion_used") instanceof String cc ? cc : null;
        Iperf3Summary summary = new Iperf3Summary(settings.host(), settings.port(), settings.udp(), settings.reverse(),
                settings.parallel(), settings.blockSize(), settings.omitSeconds(), settings.seconds(), settings.bitsPerSecond(),
                cookie, System.currentTimeMillis() / 1000, connected, intervals, ends,
                Iperf3Summary.Cpu.of(localCpu, remoteCpu), settings.reverse() ? congestion : null, settings.reverse() ? null : congestion);
        return new Run(report, summary);
    }

    /** The cost at an end whose CPU iperf3 did not report (an older server, or -J without CPU) is unknown, not free. */
    private static Cost cost(CpuUsage cpu, double bytesPerSecond) {
        String why = "the iperf3 server reported no CPU figures";
        return cpu == null ? new Cost(Double.NaN, Double.NaN, Double.NaN, why, why, why) : Cost.of(cpu, bytesPerSecond);
    }

    private static double number(Map<String, Object> m, String key, double dflt) {
        return m.get(key) instanceof Number n ? n.doubleValue() : dflt;
    }

    private void closeAll() {
        stop = true;
        for (Stream s : streams) {
            s.close();
        }
        if (control != null) {
            try {
                control.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        for (Stream s : streams) {
            s.join();
        }
    }

    /** One stream: a TCP connection or a connected UDP socket, and the thread that sends on it or reads it. */
    private final class Stream {
        final int id;
        final boolean sending;
        final Socket tcp;
        final DatagramSocket udp;
        Thread thread;
        /** Counted in the measured window, read by the control thread after the stream stopped counting. */
        volatile long bytes;
        volatile long packets;
        /** Counted from the start, omitted time included: the report intervals. */
        volatile long allBytes;
        volatile long allPackets;
        /** A UDP receiver's accounting; its thread counts and the control thread reads, each holding its lock. */
        final Iperf3Arrivals arrivals = new Iperf3Arrivals(false, settings.omitSeconds() == 0);

        Stream(int index, Socket tcp, DatagramSocket udp) {
            this.id = index == 0 ? 1 : index + 2;
            this.sending = !settings.reverse();
            this.tcp = tcp;
            this.udp = udp;
        }

        Iperf3Summary.Connected connected() {
            InetSocketAddress local = (InetSocketAddress) (tcp != null ? tcp.getLocalSocketAddress() : udp.getLocalSocketAddress());
            InetSocketAddress remote = (InetSocketAddress) (tcp != null ? tcp.getRemoteSocketAddress() : udp.getRemoteSocketAddress());
            return new Iperf3Summary.Connected(id, local.getAddress().getHostAddress(), local.getPort(),
                    remote.getAddress().getHostAddress(), remote.getPort());
        }

        long expected() {
            synchronized (arrivals) {
                return arrivals.expected();
            }
        }

        long lost() {
            if (sending) {
                return 0;
            }
            synchronized (arrivals) {
                return arrivals.lost();
            }
        }

        long datagrams() {
            synchronized (arrivals) {
                return arrivals.datagrams();
            }
        }

        long outOfOrder() {
            synchronized (arrivals) {
                return arrivals.outOfOrder();
            }
        }

        double jitterSeconds() {
            synchronized (arrivals) {
                return arrivals.jitterSeconds();
            }
        }

        void start(byte[] block) {
            thread = new Thread(() -> {
                try {
                    if (tcp != null) {
                        if (sending) {
                            tcpSend(block);
                        } else {
                            tcpReceive();
                        }
                    } else if (sending) {
                        udpSend(block);
                    } else {
                        udpReceive();
                    }
                } catch (IOException e) {
                    // the stream ends when the test does: the server closes its connections at TEST_END
                }
            }, "iperf3-stream-" + id);
            thread.setDaemon(true);
            thread.start();
        }

        private void counted(long n, long now) {
            allBytes += n;
            allPackets++;
            if (!stop && now - measureFrom >= 0) {
                bytes += n;
                packets++;
            }
        }

        private void tcpSend(byte[] block) throws IOException {
            OutputStream o = tcp.getOutputStream();
            Pacer pacer = new Pacer(settings.bitsPerSecond(), block.length, 1, startNanos);
            long paced = 0;
            while (!stop) {
                long wait = pacer.nanosUntilNext(System.nanoTime(), paced);
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                // a write counts if it began inside the window: the receiver may count all of it
                long began = System.nanoTime();
                boolean measured = !stop && began - measureFrom >= 0;
                o.write(block);
                paced++;
                allBytes += block.length;
                allPackets++;
                if (measured) {
                    bytes += block.length;
                    packets++;
                }
            }
        }

        private void tcpReceive() throws IOException {
            InputStream i = tcp.getInputStream();
            byte[] buf = new byte[256 * 1024];
            while (!stop) {
                int n = i.read(buf);
                if (n < 0) {
                    return;
                }
                counted(n, System.nanoTime());
            }
        }

        private void udpSend(byte[] block) throws IOException {
            byte[] d = block.clone();
            ByteBuffer header = ByteBuffer.wrap(d);
            DatagramPacket packet = new DatagramPacket(d, d.length);
            long seq = 0;
            long epochOffsetMicros = System.currentTimeMillis() * 1000 - System.nanoTime() / 1000;
            Pacer pacer = new Pacer(settings.bitsPerSecond(), d.length, 1, startNanos);
            while (!stop) {
                long wait = pacer.nanosUntilNext(System.nanoTime(), seq);
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                long micros = epochOffsetMicros + System.nanoTime() / 1000;
                seq++;
                header.putInt(0, (int) (micros / 1_000_000)).putInt(4, (int) (micros % 1_000_000)).putInt(8, (int) seq);
                try {
                    udp.send(packet);
                } catch (IOException e) {
                    if (stop) {
                        return;
                    }
                    continue; // ECONNREFUSED from an earlier datagram's ICMP: iperf3 carries on as well
                }
                counted(d.length, System.nanoTime());
            }
        }

        private void udpReceive() throws IOException {
            byte[] buf = new byte[65536];
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            ByteBuf datagram = Unpooled.wrappedBuffer(buf);
            udp.setSoTimeout(100);
            while (!stop) {
                try {
                    udp.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                long now = System.nanoTime();
                int n = packet.getLength();
                allBytes += n;
                allPackets++;
                if (stop || now - measureFrom < 0) {
                    continue;
                }
                boolean counted;
                synchronized (arrivals) {
                    counted = arrivals.record(datagram.setIndex(0, n), now);
                }
                if (counted) {
                    bytes += n;
                    packets++;
                }
            }
        }

        void close() {
            try {
                if (tcp != null) {
                    tcp.close();
                } else {
                    udp.close();
                }
            } catch (IOException ignored) {
                // closing
            }
        }

        void join() {
            if (thread != null) {
                try {
                    thread.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
