package dev.netbench.udp;

import dev.netbench.host.Identity;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.auth.Token;
import dev.netbench.admission.Admission;
import dev.netbench.auth.AgentAuth;
import dev.netbench.admission.Limits;
import dev.netbench.admission.RateLimitedLog;
import dev.netbench.admission.ServerMetrics;
import dev.netbench.socket.SocketOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The agent's UDP side: one channel on the agent's port carries every UDP test, told apart by the client's
 * address and port, so each test keeps to one 5-tuple (one conntrack entry: through a Service, one backend).
 * <p>
 * No amplification: until a client has echoed a cookie (proving it receives at its source address), the
 * only answer is that cookie, and only if it is no larger than the HELLO it answers; anything else unvalidated
 * gets nothing. Sessions exist only for validated clients, within the agent's {@link Limits}: a test slot each
 * (shared with the TCP tests), at most {@link Limits#maxConnectionsPerAddress()} from one address, each closed
 * after {@link Limits#idleTimeout()} without a datagram from its client.
 */
public final class UdpAgent extends ChannelInboundHandlerAdapter {
    /** Socket buffers asked for at both ends; the kernel caps them at net.core.[rw]mem_max. */
    private static final int SOCKET_BUFFER = 4 * 1024 * 1024;
    /** How long a udp_bw receiver may stall (a collector's pause, a busy CPU) before its socket drops: its buffer's depth. */
    static final long RECEIVE_HEADROOM_NANOS = TimeUnit.MILLISECONDS.toNanos(32);
    /** The most a udp_bw receiver's socket buffer is forced to. */
    static final int MAX_RECEIVE_BUFFER = 64 * 1024 * 1024;
    private final Identity identity;
    private final Consumer<String> log;
    private final ServerMetrics metrics;
    private final AtomicBoolean shuttingDown;
    private final Admission admission;
    private final Cookies cookies = new Cookies();
    private final Map<InetSocketAddress, ServerSession> sessions = new HashMap<>();
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private Demux demux = (datagram, peer, channel) -> false;
    private Channel channel;
    private boolean gro;
    private final RateLimitedLog drops;
    private final AgentAuth auth;

    public UdpAgent(Identity identity, Consumer<String> log, ServerMetrics metrics, AtomicBoolean shuttingDown, Admission admission,
                    AgentAuth auth) {
        this.admission = admission;
        this.auth = auth;
        this.identity = identity;
        this.log = log;
        this.metrics = metrics;
        this.shuttingDown = shuttingDown;
        this.drops = new RateLimitedLog(log, "udp_dropped", "dropped_since_last_line");
    }

    /** Another protocol's datagrams on the agent's port (iperf3's): offered each datagram first, on the event loop. */
    public interface Demux {
        /** True when the datagram was its to take; it must not keep {@code datagram}, which is released after. */
        boolean offer(ByteBuf datagram, InetSocketAddress peer, Channel channel);
    }

    /** Sets the demux; before the channel is bound. */
    public void demux(Demux demux) {
        this.demux = demux;
    }

    /**
     * The datagram socket options of both ends: large socket buffers, and a read buffer that holds the largest
     * datagram or GRO batch (a shorter one would truncate it).
     */
    public static Bootstrap datagramOptions(Bootstrap bootstrap) {
        return bootstrap.option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(Offload.READ_BYTES));
    }

    /**
     * A udp_bw receiver's socket: a buffer that holds {@link #RECEIVE_HEADROOM_NANOS} of the test's datagrams (32 MiB
     * unpaced), from {@link #SOCKET_BUFFER} to {@link #MAX_RECEIVE_BUFFER}, past net.core.rmem_max where the process
     * may (CAP_NET_ADMIN); elsewhere the kernel's cap stands. The result reports what was granted.
     */
    static void deepenReceiveBuffer(Channel channel, long bitsPerSecond) {
        double bytes = bitsPerSecond > 0 ? bitsPerSecond / 8.0 * RECEIVE_HEADROOM_NANOS / 1e9 : 32.0 * 1024 * 1024;
        int wanted = (int) Math.min(MAX_RECEIVE_BUFFER, Math.max(SOCKET_BUFFER, bytes));
        if (Link.granted(channel, ChannelOption.SO_RCVBUF) >= 2L * wanted) {
            return;
        }
        try {
            SocketOptions.forceReceiveBuffer(channel, wanted);
        } catch (SocketOptions.Failed e) {
            // no CAP_NET_ADMIN, or no descriptor (NIO): rmem_max's cap stands, and the output says what it granted
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // GSO batches from a client arrive whole, one read each; Netty hands them on as single datagrams
        gro = Offload.receiveBatches(channel);
        ctx.fireChannelActive();
    }

    /** Whether the shared socket takes GSO batches whole (GRO). */
    boolean gro() {
        return gro;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        try {
            received(packet.content(), packet.sender());
        } finally {
            packet.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a failed send to one peer (e.g. ICMP-refused, or filtered) must not stop the channel every test shares
        dropped(null, "I/O error: " + cause.getMessage());
    }

    /**
     * A datagram a test's own socket read that is not that test's to take (a repeated HELLO, a stray that came before
     * the socket was connected): the agent's as if the shared socket had read it. {@code in} is released after the call.
     */
    void receivedElsewhere(ByteBuf in, InetSocketAddress peer) {
        Datagram.onLoop(channel.eventLoop(), in, datagram -> received(datagram, peer));
    }

    /** A datagram from {@code peer}, on the shared socket's event loop. */
    private void received(ByteBuf in, InetSocketAddress peer) {
        if (demux.offer(in, peer, channel)) {
            return;
        }
        long now = System.nanoTime();
        DatagramType type = Datagram.type(in);
        if (type == null) {
            dropped(peer, "not a netbench datagram (" + in.readableBytes() + " bytes)");
            return;
        }
        ServerSession session = sessions.get(peer);
        if (type == DatagramType.HELLO) {
            hello(in, peer, session, now);
        } else if (session != null && Datagram.session(in) == session.id()) {
            session.deliver(type, in, now);
        } else {
            dropped(peer, type + " outside any test");
        }
    }

    private void hello(ByteBuf in, InetSocketAddress peer, ServerSession existing, long now) {
        Fields fields;
        long nonce;
        try {
            fields = Datagram.fields(in);
            nonce = fields.requireLong("nonce");
        } catch (ProtocolException e) {
            dropped(peer, "malformed HELLO: " + e.getMessage());
            return;
        }
        if (!cookies.valid(fields.get("cookie"), peer, nonce, now)) {
            ByteBuf cookie = Datagram.control(channel.alloc(), DatagramType.COOKIE, 0,
                    Fields.builder().put("cookie", cookies.mint(peer, nonce, now)).build());
            if (cookie.readableBytes() > in.readableBytes()) {
                cookie.release();
                dropped(peer, "HELLO of " + in.readableBytes() + " bytes, smaller than its answer");
                return;
            }
            new Link(channel, peer).send(cookie);
            return;
        }
        // the client has proven its address: from here on it may get answers larger than what it sent
        Link link = new Link(channel, peer);
        if (existing != null && existing.nonce() == nonce) {
            existing.acceptAgain(); // its ACCEPT was lost
            return;
        }
        String refused = authenticate(fields);
        if (refused != null) {
            // before any admission, and before touching a running test: a client without the token changes nothing here
            auth.refused(peer, refused);
            sendReject(link, refused);
            return;
        }
        if (existing != null) {
            forget(existing);
            existing.end("replaced by a new test from the same address");
        }
        String reject = null;
        UdpSpec spec = null;
        Admission.Ticket ticket = null;
        int max = admission.limits().maxConnectionsPerAddress();
        if (shuttingDown.get()) {
            reject = "agent shutting down";
        } else if (perAddress.getOrDefault(peer.getAddress(), 0) >= max) {
            metrics.limitHit("connections_per_address");
            reject = "limit: connections per client address (" + max + ") reached";
        } else {
            try {
                spec = UdpSpec.fromFields(fields);
                ticket = admission.admit(spec.test());
            } catch (ProtocolException | Admission.Refused e) {
                reject = e.getMessage();
            }
        }
        if (reject != null) {
            log.accept("event=rejected peer=" + peer + " reason=\"" + reject.replace("\"", "'") + "\"");
            sendReject(link, reject);
            return;
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt();
        } while (id == 0);
        // a test with a socket of its own runs on a loop of its own: the agent's loops share the tests out
        EventLoop loop = OwnSocket.possible(channel) ? channel.eventLoop().parent().next() : channel.eventLoop();
        ServerSession session = new ServerSession(this, loop, peer, id, nonce, spec, fields.get("client.hostname"), ticket,
                admission.limits().idleTimeout().toNanos());
        sessions.put(peer, session);
        perAddress.merge(peer.getAddress(), 1, Integer::sum);
        metrics.testStarted();
        session.open(channel);
    }

    /** Tells {@code peer} its test cannot run; from any thread. */
    void reject(InetSocketAddress peer, String reason) {
        sendReject(new Link(channel, peer), reason);
    }

    private void sendReject(Link link, String reason) {
        metrics.rejected();
        link.send(Datagram.control(channel.alloc(), DatagramType.REJECT, 0, Fields.builder().put("reason", reason).build()));
    }

    /**
     * The token check of a validated HELLO: the cookie is the server's nonce, so {@code auth.proof} answers it
     * without another round trip. Null when the test may run.
     */
    private String authenticate(Fields hello) {
        String proof = hello.get("auth.proof");
        if (proof == null) {
            return auth.required() ? "this agent requires a token: give the client --token-file or " + Token.ENV : null;
        }
        if (auth.token() == null) {
            return null; // no token here: the client's proof is ignored, as over TCP
        }
        String clientNonce = hello.get("auth.cnonce");
        return Token.isNonce(clientNonce) && Token.matches(auth.token().clientProof(hello.get("cookie"), clientNonce, hello), proof)
                ? null : "authentication failed: wrong token";
    }

    Identity identity() {
        return identity;
    }

    ServerMetrics metrics() {
        return metrics;
    }

    void log(String line) {
        log.accept(line);
    }

    /** The test is over: its slot is free. From any thread; only the first call for a session counts. */
    void forget(ServerSession session) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> forget(session));
            return;
        }
        if (sessions.remove(session.peer(), session)) {
            perAddress.computeIfPresent(session.peer().getAddress(), (a, n) -> n <= 1 ? null : n - 1);
            metrics.testClosed();
        }
    }

    /** UDP tests running now; call on the channel's event loop. */
    public int sessions() {
        return sessions.size();
    }

    private void dropped(InetSocketAddress peer, String why) {
        metrics.udpDropped();
        drops.event(peer, why);
    }

    /** Aborts every UDP test, telling each client why; runs on the channel's event loop. Returns how many. */
    public int abortAll(String reason) {
        int n = sessions.size();
        for (ServerSession s : new ArrayList<>(sessions.values())) {
            s.abort(reason);
        }
        metrics.aborted(n);
        return n;
    }
}
