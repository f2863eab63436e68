package dev.netbench.iperf3;

import dev.netbench.NetbenchException;
import dev.netbench.cpu.CpuSampler;
import dev.netbench.cpu.CpuSnapshot;
import dev.netbench.cpu.CpuUsage;
import dev.netbench.json.Json;
import dev.netbench.json.JsonException;
import dev.netbench.report.RunReport;
import dev.netbench.report.Units;
import dev.netbench.transport.Transport;
import dev.netbench.udp.UdpAgent;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * netbench as an iperf3 client: runs one TCP or UDP bandwidth test against an iperf3 3.x server (or a netbench
 * agent's iperf3 side) over iperf3's own protocol, and reports it as a netbench tcp_bw or udp_bw result, plus the
 * {@link Iperf3Summary} that --json-iperf3 writes. The control connection is a blocking socket the calling thread
 * steps through iperf3's states on; the data streams are the agent's own {@link Iperf3TcpStream} and
 * {@link Iperf3UdpStream} on Netty channels of their own.
 */
public final class Iperf3Client {
    private static final long STEP_TIMEOUT_MILLIS = 15_000;

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
    private static final Transport TRANSPORT = Transport.best();
    private final List<Stream> streams = new ArrayList<>();
    /** Every data channel opened, connected or not: closed at the end whatever happened. */
    private final List<Channel> channels = new ArrayList<>();
    private Socket control;
    private DataInputStream in;
    private OutputStream out;
    private EventLoopGroup group;
    /** The test's block, which every sending stream sends (each holds its own reference while it does). */
    private ByteBuf block;
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
        group = TRANSPORT.newGroup(Math.min(settings.parallel(), Runtime.getRuntime().availableProcessors()), "netbench-iperf3");
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
        block = Iperf3.randomBlock(settings.blockSize());
        long deadline = endAt + TimeUnit.MILLISECONDS.toNanos(STEP_TIMEOUT_MILLIS);
        for (Stream s : streams) {
            s.start(block, deadline);
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
        long endNanos = System.nanoTime();
        double seconds = (endNanos - measureFrom) / 1e9;
        List<CompletableFuture<StreamFigures>> finishing = new ArrayList<>();
        for (Stream s : streams) {
            finishing.add(s.finish(seconds));
        }
        CpuUsage localCpu = CpuSampler.snapshot().since(cpuStart != null ? cpuStart : CpuSampler.snapshot());
        List<Iperf3ClientResults.Finished> finished = new ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            Stream st = streams.get(i);
            finished.add(new Iperf3ClientResults.Finished(st.id, st.sending, finishing.get(i).join(), st.connected()));
        }
        Iperf3ClientResults results = new Iperf3ClientResults(settings, target, cookie, finished);
        out.write(Iperf3.TEST_END);
        out.flush();
        control.setSoTimeout((int) STEP_TIMEOUT_MILLIS);
        expect(Iperf3.EXCHANGE_RESULTS);
        writeJson(results.json(localCpu, seconds));
        Map<String, Object> remote = readJson();
        expect(Iperf3.DISPLAY_RESULTS);
        out.write(Iperf3.IPERF_DONE);
        out.flush();
        return results.of(remote, localCpu, seconds, intervals);
    }

    private Iperf3Summary.Interval interval(long from, long to, long[] lastBytes, long[] lastPackets) {
        long[] bytes = new long[streams.size()];
        long[] packets = new long[streams.size()];
        for (int i = 0; i < streams.size(); i++) {
            long b = streams.get(i).allBytes();
            long p = streams.get(i).allPackets();
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

    /** A data connection that opens with the cookie, as iperf3's; Nagle left on, as iperf3 leaves it (no -N). */
    private Stream tcpStream(InetSocketAddress address, int index) throws InterruptedException {
        ChannelFuture connect = new Bootstrap().group(group).channel(TRANSPORT.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeoutMillis())
                .option(ChannelOption.TCP_NODELAY, false)
                .option(ChannelOption.RCVBUF_ALLOCATOR, Transport.recvAllocator())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Iperf3TcpStream(ch, index));
                    }
                })
                .connect(address).await();
        Channel ch = connect.channel();
        channels.add(ch);
        if (!connect.isSuccess()) {
            throw new NetbenchException("cannot reach " + target + " for stream " + (index + 1) + ": " + connect.cause().getMessage());
        }
        ch.writeAndFlush(Unpooled.wrappedBuffer(Iperf3.cookieBytes(cookie)));
        return new Stream(index, ch, ch.pipeline().get(Iperf3TcpStream.class), null);
    }

    /** A connected UDP channel of its own, opened with iperf3's connect datagram once the server answered it. */
    private Stream udpStream(InetSocketAddress address, int index) throws InterruptedException {
        Iperf3UdpClientChannel handler = new Iperf3UdpClientChannel();
        ChannelFuture connect = UdpAgent.datagramOptions(new Bootstrap().group(group).channel(TRANSPORT.datagramChannel()))
                .handler(handler)
                .connect(address).await();
        Channel ch = connect.channel();
        channels.add(ch);
        if (!connect.isSuccess()) {
            throw new NetbenchException("cannot reach " + target + " for UDP stream " + (index + 1) + ": " + connect.cause().getMessage());
        }
        handler.stream = new Iperf3UdpStream(ch, address, index, stopped -> { });
        ch.writeAndFlush(new DatagramPacket(Unpooled.buffer(4).writeInt(Iperf3.UDP_CONNECT_MSG), address));
        try {
            handler.replied.get(Math.max(1000, settings.connectTimeoutMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new NetbenchException("no answer from " + target + " to UDP stream " + (index + 1) + "'s connect datagram");
        }
        return new Stream(index, ch, null, handler.stream);
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

    private void closeAll() {
        for (Channel ch : channels) {
            ch.close();
        }
        if (control != null) {
            try {
                control.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (block != null) {
            block.release();
        }
    }

    /** One stream: its channel and the agent's stream handler on it, which sends or counts. */
    private final class Stream {
        final int id;
        final boolean sending;
        final Channel channel;
        final Iperf3TcpStream tcp;
        final Iperf3UdpStream udp;

        Stream(int index, Channel channel, Iperf3TcpStream tcp, Iperf3UdpStream udp) {
            this.id = index == 0 ? 1 : index + 2;
            this.sending = !settings.reverse();
            this.channel = channel;
            this.tcp = tcp;
            this.udp = udp;
        }

        Iperf3Summary.Connected connected() {
            InetSocketAddress local = (InetSocketAddress) channel.localAddress();
            InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
            return new Iperf3Summary.Connected(id, local.getAddress().getHostAddress(), local.getPort(),
                    remote.getAddress().getHostAddress(), remote.getPort());
        }

        void start(ByteBuf block, long deadline) {
            if (tcp != null) {
                tcp.start(id, sending, measureFrom, block, settings.bitsPerSecond());
            } else {
                udp.start(id, sending, measureFrom, settings.omitSeconds() == 0, block, settings.bitsPerSecond(), false, deadline);
            }
        }

        CompletableFuture<StreamFigures> finish(double seconds) {
            return tcp != null ? tcp.finish(seconds, false) : udp.finish(seconds);
        }

        long allBytes() {
            return tcp != null ? tcp.allBytes() : udp.allBytes();
        }

        long allPackets() {
            return tcp != null ? tcp.allPackets() : udp.allPackets();
        }
    }
}
