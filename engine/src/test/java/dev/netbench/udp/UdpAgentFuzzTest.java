package dev.netbench.udp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.netbench.host.Identity;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;
import dev.netbench.admission.Admission;
import dev.netbench.auth.AgentAuth;
import dev.netbench.admission.Limits;
import dev.netbench.admission.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;


import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's UDP listener on any datagrams from a handful of sources that never echo a cookie (as a spoofer
 * cannot): no source ever gets more bytes back than it sent, the only answer is a COOKIE, no session is made, and
 * nothing throws. The input is a series of datagrams: a byte picking the source, a u16 length, the payload.
 * Regression inputs: {@code src/test/resources/dev/netbench/udp/UdpAgentFuzzTestInputs/datagrams/}.
 * <p>
 * {@link #validatedSource} is the same from a source that has echoed its cookie and has a test running.
 */
class UdpAgentFuzzTest {
    private static final Identity IDENTITY = Identity.local();
    private static final InetSocketAddress AGENT = new InetSocketAddress("127.0.0.1", 7575);

    @FuzzTest(maxDuration = "5m")
    void datagrams(byte[] input) {
        ServerMetrics metrics = new ServerMetrics();
        UdpAgent agent = new UdpAgent(IDENTITY, line -> { }, metrics, new AtomicBoolean(), new Admission(Limits.defaults(), metrics),
                new AgentAuth(null, false, line -> { }));
        EmbeddedChannel ch = new EmbeddedChannel(agent);
        Map<InetSocketAddress, Long> in = new HashMap<>();
        Map<InetSocketAddress, Long> out = new HashMap<>();
        try {
            int i = 0;
            while (i + 3 <= input.length) {
                InetSocketAddress source = new InetSocketAddress("127.0.0." + (1 + (input[i] & 3)), 40_000 + (input[i] & 0x0c));
                int length = Math.min(((input[i + 1] & 0xff) << 8) | (input[i + 2] & 0xff), input.length - i - 3);
                byte[] payload = java.util.Arrays.copyOfRange(input, i + 3, i + 3 + length);
                i += 3 + length;
                in.merge(source, (long) length, Long::sum);
                ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(payload), AGENT, source));
                for (Object o; (o = ch.readOutbound()) != null; ) {
                    DatagramPacket answer = (DatagramPacket) o;
                    try {
                        assertEquals(DatagramType.COOKIE, Datagram.type(answer.content()), "an unvalidated source got more than a COOKIE");
                        out.merge(answer.recipient(), (long) answer.content().readableBytes(), Long::sum);
                    } finally {
                        answer.release();
                    }
                }
            }
            ch.runPendingTasks();
            for (Map.Entry<InetSocketAddress, Long> e : out.entrySet()) {
                long sent = in.getOrDefault(e.getKey(), 0L);
                assertTrue(e.getValue() <= sent, e.getKey() + " got " + e.getValue() + " bytes for " + sent);
            }
            assertEquals(0, agent.sessions(), "no session without a cookie");
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static final InetSocketAddress HOSTILE = new InetSocketAddress("127.0.0.9", 40_000);
    private static final InetSocketAddress BYSTANDER = new InetSocketAddress("127.0.0.10", 40_001);

    /**
     * A source that completed the cookie exchange and runs a udp_lat or forward udp_bw test (the input's first byte
     * picks), beside another validated udp_lat test, then sends anything: each datagram is a flags byte, a u16
     * length and the payload; with flag 1 the payload gets netbench's magic, the type (flags bits 1-4) and the
     * running test's session id, so it reaches the session. Nothing thrown escapes the agent's handler, no datagram
     * gets more than one answer and a PONG is never larger than its PING (no amplification), no answer goes to the
     * other test, which still answers its PINGs at the end. Regression inputs: {@code .../validatedSource/}.
     */
    @FuzzTest(maxDuration = "5m")
    void validatedSource(byte[] input) {
        if (input.length == 0) {
            return;
        }
        ServerMetrics metrics = new ServerMetrics();
        UdpAgent agent = new UdpAgent(IDENTITY, line -> { }, metrics, new AtomicBoolean(), new Admission(Limits.defaults(), metrics),
                new AgentAuth(null, false, line -> { }));
        List<Throwable> escaped = new ArrayList<>();
        // the agent's own exceptionCaught would swallow what its channelRead throws: call it directly to see it
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                agent.handlerAdded(ctx);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    agent.channelRead(ctx, msg);
                } catch (Throwable t) {
                    escaped.add(t);
                }
            }
        });
        try {
            TestKind kind = (input[0] & 1) == 0 ? TestKind.UDP_LAT : TestKind.UDP_BW;
            int session = validate(ch, HOSTILE, kind, 1);
            int bystander = validate(ch, BYSTANDER, TestKind.UDP_LAT, 2);
            int i = 1;
            while (i + 3 <= input.length) {
                int flags = input[i] & 0xff;
                int length = Math.min(((input[i + 1] & 0xff) << 8) | (input[i + 2] & 0xff), input.length - i - 3);
                byte[] payload = java.util.Arrays.copyOfRange(input, i + 3, i + 3 + length);
                i += 3 + length;
                if ((flags & 1) != 0 && payload.length >= Datagram.HEADER) {
                    ByteBuf b = Unpooled.wrappedBuffer(payload);
                    b.setShort(0, Datagram.MAGIC).setByte(2, (flags >> 1) & 15).setInt(4, session);
                }
                ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(payload), AGENT, HOSTILE));
                List<DatagramPacket> answers = drain(ch);
                try {
                    assertTrue(answers.size() <= 1, "one datagram, " + answers.size() + " answers");
                    for (DatagramPacket a : answers) {
                        assertEquals(HOSTILE, a.recipient(), "an answer went to another source");
                        if (Datagram.type(a.content()) == DatagramType.PONG) {
                            assertEquals(payload.length, a.content().readableBytes(), "a PONG is its PING");
                        }
                    }
                } finally {
                    answers.forEach(DatagramPacket::release);
                }
            }
            ch.runPendingTasks();
            assertEquals(List.of(), escaped, "thrown out of the agent's handler");
            // the other test never noticed
            ch.writeInbound(new DatagramPacket(Datagram.traffic(ch.alloc(), DatagramType.PING, bystander, 9, 0, true, 64), AGENT, BYSTANDER));
            List<DatagramPacket> pong = drain(ch);
            try {
                assertEquals(1, pong.size());
                assertEquals(DatagramType.PONG, Datagram.type(pong.get(0).content()));
                assertEquals(BYSTANDER, pong.get(0).recipient());
            } finally {
                pong.forEach(DatagramPacket::release);
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static List<DatagramPacket> drain(EmbeddedChannel ch) {
        List<DatagramPacket> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.add((DatagramPacket) o);
        }
        return out;
    }

    /** The cookie round trip of a test from {@code source}; returns its session id from ACCEPT. */
    private static int validate(EmbeddedChannel ch, InetSocketAddress source, TestKind kind, long nonce) {
        UdpSpec spec = new UdpSpec(new TestSpec(kind, kind.defaultMsgSize(), 60_000_000_000L, 0, false, 0, 1), 1_000_000, 0);
        ch.writeInbound(new DatagramPacket(Datagram.control(ch.alloc(), DatagramType.HELLO, 0, spec.toFields(IDENTITY, nonce, null)), AGENT, source));
        List<DatagramPacket> cookie = drain(ch);
        String value;
        try {
            assertEquals(DatagramType.COOKIE, Datagram.type(cookie.get(0).content()));
            value = Datagram.fields(cookie.get(0).content()).require("cookie");
        } finally {
            cookie.forEach(DatagramPacket::release);
        }
        ch.writeInbound(new DatagramPacket(Datagram.control(ch.alloc(), DatagramType.HELLO, 0, spec.toFields(IDENTITY, nonce, value)), AGENT, source));
        List<DatagramPacket> accept = drain(ch);
        try {
            assertEquals(1, accept.size());
            assertEquals(DatagramType.ACCEPT, Datagram.type(accept.get(0).content()));
            return Datagram.session(accept.get(0).content());
        } finally {
            accept.forEach(DatagramPacket::release);
        }
    }
}
