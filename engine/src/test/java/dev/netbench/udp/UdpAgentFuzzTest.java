package dev.netbench.udp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.netbench.host.Identity;
import dev.netbench.server.Admission;
import dev.netbench.server.AgentAuth;
import dev.netbench.server.Limits;
import dev.netbench.server.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's UDP listener on any datagrams from a handful of sources that never echo a cookie (as a spoofer
 * cannot): no source ever gets more bytes back than it sent, the only answer is a COOKIE, no session is made, and
 * nothing throws. The input is a series of datagrams: a byte picking the source, a u16 length, the payload.
 * Regression inputs: {@code src/test/resources/dev/netbench/udp/UdpAgentFuzzTestInputs/datagrams/}.
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
}
