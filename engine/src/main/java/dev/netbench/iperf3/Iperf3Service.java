package dev.netbench.iperf3;

import dev.netbench.admission.Admission;
import dev.netbench.admission.ServerMetrics;
import dev.netbench.udp.UdpAgent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The agent's iperf3 side: the tests iperf3 clients run on the agent's port, found by their cookie.
 * <ul>
 * <li>{@link #acceptOrder()} numbers accepted connections in the order the kernel accepted them: iperf3 tells a
 * test's streams apart by the order they were connected in (with --bidir, the first half carry the client's data).</li>
 * <li>{@link #sniffer()} looks at a connection's first bytes: netbench's magic goes on to the netbench pipeline,
 * a cookie becomes an iperf3 control connection (unknown cookie) or a stream of the test that has it.</li>
 * <li>{@link #udpDemux()} takes iperf3's datagrams off the agent's UDP channel: a stream's 4-byte connect
 * datagram, and the data of streams so created. Nothing else.</li>
 * </ul>
 * Any number of iperf3 tests run at once, up to {@value #MAX_TESTS}; the one beyond gets ACCESS_DENIED, iperf3's
 * "server is busy".
 */
public final class Iperf3Service {
    static final int MAX_TESTS = 64;
    static final AttributeKey<Long> ACCEPTED = AttributeKey.valueOf("netbench.iperf3.accepted");
    private final AtomicLong acceptCounter = new AtomicLong();
    private final Map<String, Iperf3ServerSession> tests = new ConcurrentHashMap<>();
    private final Consumer<String> log;
    private final ServerMetrics metrics;
    private final AtomicBoolean shuttingDown;
    private final boolean tokenRequired;
    private final Admission admission;
    private final ChannelHandler acceptOrder = new AcceptOrder();
    /** UDP set-up gate: per client address, the one test whose streams may connect now, and those waiting. */
    private final Map<InetAddress, ArrayDeque<Iperf3ServerSession>> udpSetup = new HashMap<>();
    private final Iperf3UdpStreams udp;

    /** {@code tokenRequired}: the agent runs with --require-token, which no iperf3 client can prove. */
    public Iperf3Service(Consumer<String> log, ServerMetrics metrics, AtomicBoolean shuttingDown, boolean tokenRequired,
                         Admission admission) {
        this.tokenRequired = tokenRequired;
        this.admission = admission;
        this.log = log;
        this.metrics = metrics;
        this.shuttingDown = shuttingDown;
        this.udp = new Iperf3UdpStreams(this);
    }

    /** The listening channel's handler: numbers each accepted connection (see {@link #ACCEPTED}). */
    public ChannelHandler acceptOrder() {
        return acceptOrder;
    }

    /** A connection's first handler, before the netbench preamble decoder. */
    public ChannelHandler sniffer() {
        return new Sniffer(this);
    }

    /** Offered every datagram the agent's UDP channel receives, first. */
    public UdpAgent.Demux udpDemux() {
        return udp;
    }

    Consumer<String> log() {
        return log;
    }

    ServerMetrics metrics() {
        return metrics;
    }

    /** The agent's limits, which iperf3 tests share with netbench's own. */
    Admission admission() {
        return admission;
    }

    Iperf3UdpStreams udp() {
        return udp;
    }

    /** Why no new iperf3 test may start now, or null. */
    String refusal() {
        return shuttingDown.get() ? "agent shutting down"
                : tokenRequired ? "this agent requires a token (--require-token), which an iperf3 client cannot prove" : null;
    }

    /** A new control connection's test; null when {@value #MAX_TESTS} run already or the cookie is taken. */
    Iperf3ServerSession register(String cookie, Iperf3ServerSession test) {
        if (tests.size() >= MAX_TESTS) {
            return null;
        }
        return tests.putIfAbsent(cookie, test) == null ? test : null;
    }

    Iperf3ServerSession find(String cookie) {
        return tests.get(cookie);
    }

    void unregister(String cookie, Iperf3ServerSession test) {
        tests.remove(cookie, test);
        releaseUdp(test);
    }

    int running() {
        return tests.size();
    }

    /**
     * A UDP test asks to connect its streams. iperf3's connect datagram names no test, only its source address,
     * so of the tests from one client address only one connects its streams at a time: true when it may now,
     * false when it waits and is called back ({@link Iperf3ServerSession#udpTurn()}) when the one before is done.
     */
    synchronized boolean requestUdp(Iperf3ServerSession test) {
        ArrayDeque<Iperf3ServerSession> queue = udpSetup.computeIfAbsent(test.clientAddress(), a -> new ArrayDeque<>());
        queue.addLast(test);
        return queue.peekFirst() == test;
    }

    /** The test currently connecting UDP streams from {@code address}, if any. */
    synchronized Iperf3ServerSession udpTurn(InetAddress address) {
        ArrayDeque<Iperf3ServerSession> queue = udpSetup.get(address);
        return queue == null ? null : queue.peekFirst();
    }

    /** The test has all its UDP streams, or ended: the next test from its address may connect its own. */
    void releaseUdp(Iperf3ServerSession test) {
        Iperf3ServerSession next = null;
        synchronized (this) {
            ArrayDeque<Iperf3ServerSession> queue = udpSetup.get(test.clientAddress());
            if (queue == null) {
                return;
            }
            boolean wasFirst = queue.peekFirst() == test;
            queue.remove(test);
            if (queue.isEmpty()) {
                udpSetup.remove(test.clientAddress());
            } else if (wasFirst) {
                next = queue.peekFirst();
            }
        }
        if (next != null) {
            next.udpTurn();
        }
    }

    /** Stops every iperf3 test, telling each client the server terminated; returns how many. */
    public int abortAll() {
        List<Iperf3ServerSession> all = new ArrayList<>(tests.values());
        all.forEach(Iperf3ServerSession::terminate);
        return all.size();
    }

    /** IPv4-mapped IPv6 addresses as IPv4, so a TCP and a UDP socket's views of one client compare equal. */
    static InetAddress normalize(InetAddress a) {
        if (a instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && b[10] == (byte) 0xFF && b[11] == (byte) 0xFF) {
                try {
                    return Inet4Address.getByAddress(new byte[]{b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    return a;
                }
            }
        }
        return a;
    }

    static InetAddress address(Object socketAddress) {
        return socketAddress instanceof InetSocketAddress s ? normalize(s.getAddress()) : null;
    }

    @ChannelHandler.Sharable
    private final class AcceptOrder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
                child.attr(ACCEPTED).set(acceptCounter.incrementAndGet());
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** For the UDP side: the datagram's content as iperf3's connect message. */
    static boolean isUdpConnect(ByteBuf in) {
        return in.readableBytes() == 4 && in.getInt(in.readerIndex()) == Iperf3.UDP_CONNECT_MSG;
    }
}
