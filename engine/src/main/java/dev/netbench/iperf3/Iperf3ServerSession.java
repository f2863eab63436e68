package dev.netbench.iperf3;

import dev.netbench.cpu.CpuSampler;
import dev.netbench.cpu.CpuSnapshot;
import dev.netbench.cpu.CpuUsage;
import dev.netbench.json.Json;
import dev.netbench.json.JsonException;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;
import dev.netbench.admission.Admission;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One iperf3 test on the agent, driven from its control connection (the connection that opened with an unknown
 * cookie), on that connection's event loop:
 * PARAM_EXCHANGE, the client's parameters, CREATE_STREAMS, the streams connect (TCP connections with the cookie,
 * or UDP connect datagrams), TEST_START and TEST_RUNNING, traffic until the client's TEST_END, EXCHANGE_RESULTS,
 * the client's results, this end's results, DISPLAY_RESULTS, and the client's IPERF_DONE. docs/iperf3-compat.md
 * has the exchange byte by byte. Every wait is bounded; a hostile length, JSON document or state byte closes only
 * this test.
 */
final class Iperf3ServerSession extends ByteToMessageDecoder {
    static final long STEP_TIMEOUT_SECONDS = 10;
    static final long OVERRUN_GRACE_SECONDS = 30;

    private enum State { PARAMS, STREAMS, RUNNING, RESULTS, DONE, CLOSED }

    private final Iperf3Service service;
    private final String cookie;
    private final Channel control;
    private final InetAddress clientAddress;
    private final String peer;
    private final List<Iperf3TcpStream> tcpStreams = new ArrayList<>();
    private final List<Iperf3UdpStream> udpStreams = new ArrayList<>();
    private final AtomicInteger udpClaimed = new AtomicInteger();
    private volatile boolean udpOpen;
    private volatile int expectedStreams;
    private State state = State.PARAMS;
    private boolean registered;
    private Iperf3Params params;
    /** The agent's limits' hold on this test (a slot, its duration and block, the block buffer), from PARAMS on. */
    private Admission.Ticket ticket;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private long startNanos;
    private CpuSnapshot cpuStart;
    private ByteBuf block;
    private Map<String, Object> clientResults;
    private List<StreamFigures> figures;
    private CpuUsage cpu;

    Iperf3ServerSession(Iperf3Service service, String cookie, Channel control) {
        this.service = service;
        this.cookie = cookie;
        this.control = control;
        this.clientAddress = Iperf3Service.address(control.remoteAddress());
        this.peer = String.valueOf(control.remoteAddress());
    }

    InetAddress clientAddress() {
        return clientAddress;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        control.closeFuture().addListener(f -> ctx.executor().execute(this::closed));
        String refusal = service.refusal();
        if (refusal != null || service.register(cookie, this) == null) {
            String why = refusal != null ? refusal : "too many iperf3 tests at once (at most " + Iperf3Service.MAX_TESTS + ")";
            service.metrics().rejected();
            log("event=rejected peer=" + peer + " protocol=iperf3 reason=\"" + why + "\"");
            state = State.CLOSED;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[]{Iperf3.ACCESS_DENIED})).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        registered = true;
        service.metrics().testStarted();
        send(Iperf3.PARAM_EXCHANGE);
        deadline(STEP_TIMEOUT_SECONDS, "no parameters within " + STEP_TIMEOUT_SECONDS + " s");
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable() && control.isActive()) {
            switch (state) {
                case PARAMS, RESULTS -> {
                    String json;
                    try {
                        json = Iperf3.readJson(in);
                    } catch (Iperf3.BadLength e) {
                        fail(Iperf3.ERR_RECV_PARAMS, e.getMessage());
                        in.skipBytes(in.readableBytes());
                        return;
                    }
                    if (json == null) {
                        return;
                    }
                    if (state == State.PARAMS) {
                        onParams(json);
                    } else {
                        onClientResults(json);
                    }
                }
                case STREAMS, RUNNING -> onState(in.readByte());
                case DONE -> {
                    byte b = in.readByte();
                    if (b != Iperf3.IPERF_DONE) {
                        log("event=closed peer=" + peer + " protocol=iperf3 reason=\"" + Iperf3.stateName(b) + " instead of IPERF_DONE\"");
                    }
                    end();
                }
                case CLOSED -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
            }
        }
    }

    private void onParams(String json) {
        try {
            params = Iperf3Params.parse(Json.parseObject(json));
        } catch (JsonException e) {
            fail(Iperf3.ERR_RECV_PARAMS, "parameters are not a JSON object: " + e.getMessage());
            return;
        } catch (Iperf3Params.Refused e) {
            fail(e.code(), e.getMessage());
            return;
        }
        try {
            // as a tcp_bw of the same block, time and streams: the server's block buffer when it sends
            ticket = service.admission().admit(new TestSpec(TestKind.TCP_BW, params.blockSize(),
                    TimeUnit.SECONDS.toNanos(Math.min(params.maxSeconds(), Iperf3.MAX_SECONDS)), 0,
                    params.reverse() || params.bidirectional(), 0, params.streamCount()));
        } catch (Admission.Refused | IllegalArgumentException e) {
            String why = e.getMessage();
            fail(why.contains("test duration") ? Iperf3.ERR_DURATION : why.contains("message size") ? Iperf3.ERR_BLOCK
                    : Iperf3.ERR_SERVER_BUSY, why);
            return;
        }
        state = State.STREAMS;
        expectedStreams = params.streamCount();
        deadline(STEP_TIMEOUT_SECONDS, "streams not all connected within " + STEP_TIMEOUT_SECONDS + " s of CREATE_STREAMS");
        if (!params.udp() || service.requestUdp(this)) {
            createStreams();
        }
    }

    /** The tests from this client address before this one have their UDP streams: this one may connect its own. */
    void udpTurn() {
        ctx.executor().execute(() -> {
            if (state == State.STREAMS && !udpOpen) {
                createStreams();
            }
        });
    }

    private void createStreams() {
        udpOpen = params.udp();
        send(Iperf3.CREATE_STREAMS);
    }

    /** A data connection with this test's cookie; called on that connection's event loop. */
    Iperf3TcpStream newTcpStream(Channel channel) {
        Long accepted = channel.attr(Iperf3Service.ACCEPTED).get();
        Iperf3TcpStream stream = new Iperf3TcpStream(channel, accepted == null ? Long.MAX_VALUE : accepted);
        ctx.executor().execute(() -> {
            if (state != State.STREAMS || params.udp() || tcpStreams.size() >= expectedStreams) {
                log("event=closed peer=" + channel.remoteAddress() + " protocol=iperf3 reason=\"a stream the test did not ask for\"");
                stream.reject();
                return;
            }
            tcpStreams.add(stream);
            if (tcpStreams.size() == expectedStreams) {
                start();
            }
        });
        return stream;
    }

    /** A UDP stream's index, from 0, for a connect datagram from this test's client address; -1 when it has them all. */
    int claimUdpStream() {
        if (!udpOpen) {
            return -1;
        }
        int n = udpClaimed.getAndIncrement();
        if (n >= expectedStreams) {
            return -1;
        }
        if (n == expectedStreams - 1) {
            udpOpen = false;
            service.releaseUdp(this);
        }
        return n;
    }

    /** Called on the UDP event loop for each claimed stream. */
    void udpStreamArrived(Iperf3UdpStream stream) {
        ctx.executor().execute(() -> {
            if (state != State.STREAMS) {
                stream.stopLater();
                return;
            }
            udpStreams.add(stream);
            if (udpStreams.size() == expectedStreams) {
                start();
            }
        });
    }

    private void start() {
        state = State.RUNNING;
        startNanos = System.nanoTime();
        long measureFrom = startNanos + TimeUnit.SECONDS.toNanos(params.omitSeconds());
        long deadline = startNanos + TimeUnit.SECONDS.toNanos(params.maxSeconds() + OVERRUN_GRACE_SECONDS);
        cpuStart = CpuSampler.snapshot();
        block = Iperf3.randomBlock(params.blockSize());
        deadline(params.maxSeconds() + OVERRUN_GRACE_SECONDS, "test still running " + OVERRUN_GRACE_SECONDS + " s after its end");
        ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[]{Iperf3.TEST_START, Iperf3.TEST_RUNNING}), ctx.voidPromise());
        // iperf3 numbers streams 1, 3, 4, 5, ... in the order they connected; with --bidir the first half carry the
        // client's data and the second half the server's
        tcpStreams.sort(Comparator.comparingLong(Iperf3TcpStream::accepted));
        udpStreams.sort(Comparator.comparingInt(Iperf3UdpStream::index));
        int n = params.udp() ? udpStreams.size() : tcpStreams.size();
        for (int i = 0; i < n; i++) {
            int id = i == 0 ? 1 : i + 2;
            boolean serverSends = params.reverse() || (params.bidirectional() && i >= params.parallel());
            if (params.udp()) {
                udpStreams.get(i).start(id, serverSends, measureFrom, measureFrom == startNanos, block, params.bitsPerSecond(),
                        params.udp64BitCounters(), deadline);
            } else {
                tcpStreams.get(i).start(id, serverSends, measureFrom, block, params.bitsPerSecond());
            }
        }
    }

    private void onState(byte b) {
        if (state == State.RUNNING && b == Iperf3.TEST_END) {
            testEnd();
        } else if (b == Iperf3.CLIENT_TERMINATE) {
            log("event=closed peer=" + peer + " protocol=iperf3 reason=\"the client terminated the test\"");
            end();
        } else {
            fail(0, Iperf3.stateName(b) + " from the client " + (state == State.RUNNING ? "during the test" : "before the test started"));
        }
    }

    private void testEnd() {
        state = State.RESULTS;
        long now = System.nanoTime();
        long measuredFrom = startNanos + TimeUnit.SECONDS.toNanos(params.omitSeconds());
        double seconds = Math.max(0, now - measuredFrom) / 1e9;
        cpu = CpuSampler.snapshot().since(cpuStart);
        List<CompletableFuture<StreamFigures>> each = new ArrayList<>();
        tcpStreams.forEach(s -> each.add(s.finish(seconds, true)));
        udpStreams.forEach(s -> each.add(s.finish(seconds)));
        CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> ctx.executor().execute(() -> {
            figures = each.stream().map(CompletableFuture::join).sorted(Comparator.comparingInt(StreamFigures::id)).toList();
            sendResults();
        }));
        send(Iperf3.EXCHANGE_RESULTS);
        deadline(STEP_TIMEOUT_SECONDS, "no results from the client within " + STEP_TIMEOUT_SECONDS + " s");
    }

    private void onClientResults(String json) {
        try {
            clientResults = Json.parseObjectLastDuplicateWins(json);
        } catch (JsonException e) {
            fail(0, "the client's results are not a JSON object: " + e.getMessage());
            return;
        }
        sendResults();
    }

    /** Once both the client's results and this end's figures are in: this end's results, DISPLAY_RESULTS. */
    private void sendResults() {
        if (clientResults == null || figures == null || state != State.RESULTS) {
            return;
        }
        byte[] json = Iperf3ServerResults.json(params, figures, cpu).getBytes(StandardCharsets.UTF_8);
        ByteBuf out = ctx.alloc().buffer(4 + json.length + 1).writeInt(json.length).writeBytes(json).writeByte(Iperf3.DISPLAY_RESULTS);
        ctx.writeAndFlush(out, ctx.voidPromise());
        state = State.DONE;
        deadline(STEP_TIMEOUT_SECONDS, "no IPERF_DONE within " + STEP_TIMEOUT_SECONDS + " s");
        service.metrics().iperf3Served(params.udp());
        log(Iperf3ServerResults.servedLine(params, figures, peer));
    }

    /** Refuses or stops the test: SERVER_ERROR with {@code code} (when above 0) so the client prints why, then close. */
    private void fail(int code, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        boolean refused = (state == State.PARAMS || state == State.STREAMS) && code > 0;
        if (refused) {
            service.metrics().rejected();
        } else {
            service.metrics().connectionError();
        }
        log("event=" + (refused ? "rejected" : "closed") + " peer=" + peer + " protocol=iperf3 reason=\"" + reason.replace("\"", "'") + "\"");
        state = State.CLOSED;
        if (code > 0) {
            ctx.writeAndFlush(ctx.alloc().buffer(9).writeByte(Iperf3.SERVER_ERROR).writeInt(code).writeInt(0))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            control.close();
        }
    }

    /** The agent is stopping: SERVER_TERMINATE, and close. Any thread. */
    void terminate() {
        control.eventLoop().execute(() -> {
            if (state == State.CLOSED) {
                return;
            }
            service.metrics().aborted(1);
            state = State.CLOSED;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[]{Iperf3.SERVER_TERMINATE})).addListener(ChannelFutureListener.CLOSE);
        });
    }

    private void end() {
        state = State.CLOSED;
        control.close();
    }

    /** The control connection closed, however: every stream of the test stops, and the test is forgotten. */
    private void closed() {
        if ((state == State.RUNNING || state == State.STREAMS || state == State.PARAMS) && registered) {
            service.metrics().connectionError();
            log("event=closed peer=" + peer + " protocol=iperf3 reason=\"control connection closed " + (state == State.RUNNING ? "during" : "before") + " the test\"");
        }
        state = State.CLOSED;
        cancelTimer();
        tcpStreams.forEach(Iperf3TcpStream::reject);
        udpStreams.forEach(Iperf3UdpStream::stopLater);
        udpOpen = false;
        if (block != null) {
            block.release();
            block = null;
        }
        if (registered) {
            registered = false;
            service.unregister(cookie, this);
            service.metrics().testClosed();
        }
        if (ticket != null) {
            ticket.release();
            ticket = null;
        }
    }

    private void send(byte state) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[]{state}), ctx.voidPromise());
    }

    private void deadline(long seconds, String reason) {
        cancelTimer();
        timer = ctx.executor().schedule(() -> fail(0, reason), seconds, TimeUnit.SECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state != State.CLOSED && state != State.DONE) {
            fail(0, "control connection: " + cause.getMessage());
        } else {
            ctx.close();
        }
    }

    private void log(String line) {
        service.log().accept(line);
    }
}
