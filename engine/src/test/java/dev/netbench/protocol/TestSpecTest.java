package dev.netbench.protocol;

import dev.netbench.host.Identity;
import dev.netbench.report.EndFigures;
import dev.netbench.report.Latency;
import dev.netbench.cpu.Baseline;
import dev.netbench.report.SenderTcp;
import dev.netbench.report.TcpFigures;
import dev.netbench.cpu.CpuUsage;
import dev.netbench.cpu.HostCpu;
import dev.netbench.cpu.ProcessCpu;
import dev.netbench.cpu.Softirqs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestSpecTest {
    private static final Identity ID = new Identity("h", "0.1.0", "Debian", "6.1", "EPYC", 2, Map.of("NODE_NAME", "n1"));

    @Test
    void helloRoundTrip() {
        TestSpec spec = new TestSpec(TestKind.TCP_BW, 65536, 10_000_000_000L, 1_000_000_000L, true, 2, 4);
        Fields f = spec.toFields(ID.toFields());
        assertEquals(spec, TestSpec.fromFields(f));
        assertEquals(ID, Identity.fromFields(f.withPrefix("client.")));
    }

    @Test
    void tcpBwSocketKnobsRoundTripAndAnOlderClientsHelloMeansTcpNodelayOn() {
        SocketKnobs knobs = new SocketKnobs(true, 262144, 1200, "reno", 0x10, false);
        TestSpec spec = new TestSpec(TestKind.TCP_BW, 65536, 1_000_000_000L, 0, false, 0, 1, knobs);
        Fields f = spec.toFields(ID.toFields());
        assertEquals("reno", f.get("sock.congestion"));
        assertEquals("16", f.get("sock.tos"));
        assertEquals(spec, TestSpec.fromFields(f));
        // a new client's default: Nagle on, and only sock.nodelay on the wire
        Fields plain = new TestSpec(TestKind.TCP_BW, 65536, 1_000_000_000L, 0, false, 0, 1).toFields(ID.toFields());
        assertEquals(Map.of("nodelay", "false"), plain.withPrefix("sock.").asMap());
        assertEquals(SocketKnobs.DEFAULT, TestSpec.fromFields(plain).sockets());
        // a HELLO from before the knobs has no sock.* at all: its streams had TCP_NODELAY on, and keep it
        Fields.Builder old = Fields.builder();
        plain.asMap().forEach((k, v) -> {
            if (!k.startsWith("sock.")) {
                old.put(k, v);
            }
        });
        assertEquals(SocketKnobs.LEGACY, TestSpec.fromFields(old.build()).sockets());
        assertReason(with(f, "sock.tos", "256"), "TOS");
        assertReason(with(f, "sock.nodelay", "yes"), "sock.nodelay");
        assertReason(with(f, "sock.congestion", "a b"), "congestion");
        // the other tests have no knobs: they keep TCP_NODELAY on, and sock.* in their HELLO is ignored
        assertThrows(IllegalArgumentException.class,
                () -> new TestSpec(TestKind.TCP_LAT, 1, 1_000_000_000L, 0, false, 0, 1, knobs));
        Fields lat = new TestSpec(TestKind.TCP_LAT, 1, 1_000_000_000L, 0, false, 0, 1).toFields(ID.toFields());
        assertTrue(lat.withPrefix("sock.").asMap().isEmpty());
    }

    @Test
    void zerocopyIsSentOnlyWhenAskedForAndItsAbsenceMeansWrite() {
        SocketKnobs z = new SocketKnobs(false, 0, 0, null, -1, true);
        TestSpec spec = new TestSpec(TestKind.TCP_BW, 65536, 1_000_000_000L, 0, true, 0, 1, z);
        Fields f = spec.toFields(ID.toFields());
        assertEquals(Map.of("nodelay", "false", "zerocopy", "true"), f.withPrefix("sock.").asMap());
        assertEquals(spec, TestSpec.fromFields(f));
        assertEquals(SocketKnobs.DEFAULT, TestSpec.fromFields(with(f, "sock.zerocopy", "false")).sockets());
        assertReason(with(f, "sock.zerocopy", "1"), "sock.zerocopy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TestSpec(TestKind.TCP_LAT, 1, 1_000_000_000L, 0, false, 0, 1, z));
        assertTrue(e.getMessage().contains("-Z"), e.getMessage());
    }

    @Test
    void theAgentsCpuTravelsOnlyWhenGiven() {
        TestSpec any = new TestSpec(TestKind.TCP_LAT, 1, 1_000_000_000L, 0, false, 0, 1);
        assertEquals(null, any.toFields(ID.toFields()).get("cpu"));
        assertEquals(-1, TestSpec.fromFields(any.toFields(ID.toFields())).cpu());
        TestSpec pinned = any.onCpu(1);
        assertEquals("1", pinned.toFields(ID.toFields()).get("cpu"));
        assertEquals(pinned, TestSpec.fromFields(pinned.toFields(ID.toFields())));
        assertReason(with(pinned.toFields(ID.toFields()), "cpu", "1024"), "CPU 1024 is not 0..1023");
        Fields udp = new TestSpec(TestKind.UDP_LAT, 20, 1_000_000_000L, 0, false, 0, 1).toFields(ID.toFields());
        assertReason(Fields.builder().putAll(udp, "").put("cpu", 0).build(), "CPU affinity (-T) applies to tcp_lat and tcp_bw only, not udp_lat");
    }

    @Test
    void badHelloFieldsBecomeReasons() {
        Fields good = new TestSpec(TestKind.TCP_LAT, 1, 1_000_000_000L, 0, false, 0, 1).toFields(ID.toFields());
        assertReason(with(good, "test", "udp_magic"), "unknown test");
        assertReason(with(good, "msg_size", "0"), "message size");
        assertReason(with(good, "msg_size", "99999999999"), "overflow");
        assertReason(with(good, "duration_ns", "-1"), "duration");
        assertReason(with(good, "stream", "5"), "stream");
        assertReason(with(good, "reverse", "maybe"), "reverse");
        assertReason(with(good, "reverse", "true"), "reverse");
        assertReason(with(good, "warmup_ns", "x"), "warmup_ns");
        Fields crr = new TestSpec(TestKind.TCP_CRR, 1, 1_000_000_000L, 0, false, 0, 8).toFields(ID.toFields());
        assertEquals(8, TestSpec.fromFields(crr).streams());
        assertReason(with(crr, "reverse", "true"), "tcp_crr has no reverse direction");
    }

    @Test
    void busyPollTravelsOnlyWhenAskedForAndOnlyWithTheRoundTripTests() {
        TestSpec spin = new TestSpec(TestKind.TCP_LAT, 1, 1_000_000_000L, 0, false, 0, 1, SocketKnobs.DEFAULT, true);
        Fields hello = spin.toFields(ID.toFields());
        assertEquals("true", hello.get("busy_poll"));
        assertEquals(spin, TestSpec.fromFields(hello));
        Fields plain = new TestSpec(TestKind.TCP_LAT, 1, 1_000_000_000L, 0, false, 0, 1).toFields(ID.toFields());
        assertNull(plain.get("busy_poll"), "an ordinary test's HELLO is as before");
        assertFalse(TestSpec.fromFields(plain).busyPoll());
        assertReason(with(hello, "busy_poll", "yes"), "busy_poll");
        Fields bw = new TestSpec(TestKind.TCP_BW, 1, 1_000_000_000L, 0, false, 0, 1).toFields(ID.toFields());
        Fields.Builder b = Fields.builder().putAll(bw, "");
        assertReason(b.put("busy_poll", "true").build(), "busy-poll applies to tcp_lat and udp_lat only");
        TestSpec udp = new TestSpec(TestKind.UDP_LAT, 20, 1_000_000_000L, 0, false, 0, 1, SocketKnobs.DEFAULT, true);
        assertEquals(udp, TestSpec.fromFields(udp.toFields(ID.toFields())));
    }

    @Test
    void anEndsWayOfWaitingRoundTripsAndAnOlderAgentsAbsenceStaysAbsent() {
        CpuUsage cpu = new CpuUsage(5.0, null, Double.NaN, "x", null, null, "y", null, "z");
        EndFigures blocking = new EndFigures(1, 2, 3, 4, 5, cpu, null, "blocking");
        assertEquals("blocking", EndFigures.fromFields(blocking.toFields()).io());
        assertNull(EndFigures.fromFields(new EndFigures(1, 2, 3, 4, 5, cpu, null).toFields()).io());
        assertEquals("blocking", Latency.io("blocking", "blocking"));
        assertEquals("client busy_poll, agent blocking", Latency.io("busy_poll", "blocking"));
        assertEquals("client blocking, agent unknown", Latency.io("blocking", null));
    }

    private static Fields with(Fields base, String key, String value) {
        Fields.Builder b = Fields.builder();
        base.asMap().forEach((k, v) -> b.put(k, k.equals(key) ? value : v));
        return b.build();
    }

    private static void assertReason(Fields f, String expected) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> TestSpec.fromFields(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void resultFiguresRoundTripThroughAFrame() {
        EndFigures fig = new EndFigures(1, 2, 3, 4, 5_000_000_000L,
                new CpuUsage(5.0, new ProcessCpu(0.25, 1.5), 0.125, null, new HostCpu(1, 2, 0.01, 0.5, 0.02, 7, 0.03),
                        new Softirqs(1234, 56), null, new Baseline(0.5, 0.0625), null), null);
        ByteBuf frame = Protocol.control(Unpooled.buffer().alloc(), FrameType.RESULT, fig.toFields());
        frame.skipBytes(Protocol.HEADER_LENGTH);
        assertEquals(fig, EndFigures.fromFields(Fields.decode(frame)));
        frame.release();
    }

    @Test
    void missingCpuPartsTravelAsTheirReasons() {
        EndFigures fig = new EndFigures(1, 2, 3, 4, 5_000_000_000L,
                new CpuUsage(5.0, null, Double.NaN, "cannot read /proc/self/stat", null, null, "cannot read /proc/stat",
                        null, "cannot read /proc/stat"), null);
        EndFigures back = EndFigures.fromFields(fig.toFields());
        assertNull(back.cpu().process());
        assertNull(back.cpu().host());
        assertEquals("cannot read /proc/self/stat", back.cpu().processMissing());
        assertEquals("cannot read /proc/stat", back.cpu().hostMissing());
        assertTrue(Double.isNaN(back.cpu().hostCpusUsed()) && Double.isNaN(back.cpu().processCpusUsed()));
    }

    @Test
    void senderTcpInfoRoundTripsThroughAFrameAndItsAbsenceStaysAbsent() {
        CpuUsage cpu = new CpuUsage(5.0, new ProcessCpu(0.25, 1.5), 0.125, null, new HostCpu(1, 2, 0.01, 0.5, 0.02, 7, 0.03),
                new Softirqs(1234, 56), null, new Baseline(0.5, 0.0625), null);
        for (SenderTcp tcp : new SenderTcp[]{SenderTcp.measured(new TcpFigures(17, 3_000_000, 1448, 1500, 250.5, 31)),
                SenderTcp.unavailable("the sending end runs on Java NIO, which cannot read TCP_INFO (native epoll only)")}) {
            EndFigures fig = new EndFigures(1, 2, 3, 4, 5_000_000_000L, cpu, tcp);
            ByteBuf frame = Protocol.control(Unpooled.buffer().alloc(), FrameType.RESULT, fig.toFields());
            frame.skipBytes(Protocol.HEADER_LENGTH);
            assertEquals(fig, EndFigures.fromFields(Fields.decode(frame)));
            frame.release();
        }
        // a receiver's RESULT, or an older agent's, has no tcp_info fields at all
        assertNull(EndFigures.fromFields(new EndFigures(1, 2, 3, 4, 5, cpu, null).toFields()).senderTcp());
    }
}
