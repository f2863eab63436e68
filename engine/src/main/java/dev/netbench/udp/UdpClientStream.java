package dev.netbench.udp;

import dev.netbench.NetbenchException;
import dev.netbench.auth.Token;
import dev.netbench.host.Identity;
import dev.netbench.latency.IntervalLatency;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.EndFigures;
import dev.netbench.report.PathMtu;
import dev.netbench.socket.DontFragment;
import dev.netbench.session.MeasuredWindow;
import dev.netbench.session.TestEndpoint;
import dev.netbench.session.TestStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One stream of a UDP test on the client: a channel connected to the server, so the HELLO, the traffic and the
 * end-of-test exchange all use one 5-tuple. Every request the client needs answered (HELLO, START, END) is
 * repeated every 250 ms until it is, within a bounded wait, else the test fails with "no answer from udp://...".
 */
public final class UdpClientStream extends ChannelInboundHandlerAdapter implements TestStream {
    static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    static final long KEEPALIVE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** How long the client repeats END waiting for RESULT. */
    static final long END_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private final UdpSpec spec;
    private final Identity self;
    private final String target;
    private final long handshakeNanos;
    private final long nonce = ThreadLocalRandom.current().nextLong();
    private final CompletableFuture<Identity> accepted = new CompletableFuture<>();
    private final CompletableFuture<UdpOutcome> done = new CompletableFuture<>();
    private Channel channel;
    private Link link;
    private int session;
    private String cookie;
    /** Null: no token. With one, the HELLO that echoes the cookie proves it (the cookie is the server's nonce). */
    private final Token token;
    /** udp_lat's round trips for -i lines; null without -i. */
    private final IntervalLatency intervals;
    private final String clientNonce = Token.nonce();
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> keepalive;
    private volatile BwSender sender;
    private volatile BwReceiver receiver;
    private volatile UdpPinger pinger;
    private volatile MtuProber prober;
    /** What the agent's ACCEPT said beside its identity (mtu: its Don't Fragment and interface MTU). */
    private Fields acceptFields = Fields.EMPTY;
    private PathMtu pathMtu;
    private EndFigures localFigures;
    private volatile Progress remoteProgress = Progress.NONE;
    /** On the event loop: udp_lat's own thread has the socket, which must not close under it. */
    private boolean threadRunning;
    private boolean closeRequested;

    /** {@code target} names the server in messages: udp://HOST:PORT. */
    public UdpClientStream(UdpSpec spec, Identity self, String target, long handshakeNanos, Token token, IntervalLatency intervals) {
        this.token = token;
        this.intervals = intervals;
        this.spec = spec;
        this.self = self;
        this.target = target;
        this.handshakeNanos = handshakeNanos;
    }

    @Override
    public CompletableFuture<Identity> accepted() {
        return accepted;
    }

    @Override
    public CompletableFuture<UdpOutcome> done() {
        return done;
    }

    public UdpSpec spec() {
        return spec;
    }

    @Override
    public MeasuredWindow window() {
        return pinger != null ? pinger.window() : prober != null ? prober.window() : sender != null ? sender.window() : receiver != null ? receiver.window() : new MeasuredWindow();
    }

    /** The receiver's running counts: the server's last REPORT (forward), or this end's own (reverse). */
    public Progress receiverProgress() throws InterruptedException {
        if (receiver == null) {
            return remoteProgress;
        }
        try {
            return channel.eventLoop().submit(receiver::progress).get();
        } catch (java.util.concurrent.ExecutionException e) {
            return remoteProgress;
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        link = Link.connected(channel);
        long start = System.nanoTime();
        retry = repeat(() -> {
            if (System.nanoTime() - start > handshakeNanos) {
                fail(new NetbenchException("no answer from " + target + " after " + TimeUnit.NANOSECONDS.toSeconds(handshakeNanos) + " s"));
            } else {
                hello();
            }
        });
        ctx.fireChannelActive();
    }

    private void hello() {
        Fields hello = spec.toFields(self, nonce, cookie);
        if (token != null && cookie != null) {
            hello = Fields.builder().putAll(hello, "").put("auth.cnonce", clientNonce)
                    .put("auth.proof", token.clientProof(cookie, clientNonce, hello)).build();
        }
        link.send(Datagram.control(channel.alloc(), DatagramType.HELLO, 0, hello));
    }

    @Override
    public void begin() {
        channel.eventLoop().execute(() -> {
            if (done.isDone()) {
                return;
            }
            TestKind kind = spec.test().kind();
            if (kind == TestKind.MTU) {
                probe();
            } else if (kind == TestKind.UDP_LAT && OwnThread.unavailable(channel) == null) {
                pingOnOwnThread();
            } else if (kind == TestKind.UDP_LAT) {
                pinger = new UdpPinger(link, spec, session, intervals, f -> ended(f.withIo("event_loop")));
                pinger.start();
            } else if (!spec.test().reverse()) {
                sender = new BwSender(link, spec, session, this::ended);
                sender.start();
            } else {
                receiver = new BwReceiver(channel, Offload.batchReads(channel, spec.offload(), spec.test().msgSize()), spec.bitsPerSecond());
                long start = System.nanoTime();
                retry = repeat(() -> {
                    if (System.nanoTime() - start > handshakeNanos) {
                        fail(new NetbenchException("no data from " + target + " after " + TimeUnit.NANOSECONDS.toSeconds(handshakeNanos) + " s"));
                    } else {
                        link.send(Datagram.control(channel.alloc(), DatagramType.START, session, Fields.EMPTY));
                    }
                });
                keepalive = channel.eventLoop().scheduleAtFixedRate(
                        () -> link.send(Datagram.control(channel.alloc(), DatagramType.KEEPALIVE, session, Fields.EMPTY)),
                        KEEPALIVE_NANOS, KEEPALIVE_NANOS, TimeUnit.NANOSECONDS);
            }
        });
    }

    /**
     * udp_lat on a thread of its own that owns the socket until the test is over; then, back on the event loop, END
     * and RESULT go as for any test. Datagrams other than its PONGs (an ABORT) reach {@link #onDatagram} on the loop.
     */
    private void pingOnOwnThread() {
        EndFigures[] figures = new EndFigures[1];
        pinger = new UdpPinger(link, spec, session, intervals, f -> figures[0] = f);
        threadRunning = true;
        boolean busyPoll = spec.test().busyPoll();
        OwnThread.start(channel, busyPoll, TimeUnit.NANOSECONDS.toMicros(UdpPinger.CHECK_NANOS), "udp-lat",
                socket -> pinger.run(socket, copy -> channel.eventLoop().execute(() -> {
                    try {
                        onDatagram(copy, System.nanoTime());
                    } finally {
                        copy.release();
                    }
                })),
                failure -> {
                    threadRunning = false;
                    if (closeRequested) {
                        channel.close();
                    } else if (failure != null) {
                        failed(failure instanceof java.io.UncheckedIOException u ? u.getCause() : failure);
                    } else if (figures[0] != null) {
                        ended(figures[0].withIo(busyPoll ? "busy_poll" : "blocking"));
                    }
                });
    }

    /** mtu: Don't Fragment on this end's socket, then the prober, told both ends' interface MTUs. */
    private void probe() {
        if (!(channel instanceof EpollDatagramChannel epoll)) {
            fail(new NetbenchException("mtu sets Don't Fragment on its socket, which needs the native epoll transport"));
            return;
        }
        InetSocketAddress local;
        try {
            Socket socket = (Socket) epoll.fd();
            DontFragment.probe(socket);
            local = socket.localAddress();
        } catch (IOException e) {
            fail(new NetbenchException("mtu: cannot set Don't Fragment on this end's socket: " + e.getMessage()));
            return;
        }
        String remoteMtu = acceptFields.get("path.iface_mtu");
        boolean v4 = ((InetSocketAddress) channel.remoteAddress()).getAddress() instanceof Inet4Address;
        prober = new MtuProber(link, session, v4 ? MtuProber.IPV4_HEADERS : MtuProber.IPV6_HEADERS,
                DontFragment.interfaceMtu(local.getAddress()), remoteMtu == null ? -1 : Integer.parseInt(remoteMtu),
                "true".equals(acceptFields.get("path.df")), (figures, mtu) -> {
                    pathMtu = mtu;
                    ended(figures);
                }, why -> fail(new NetbenchException("mtu with " + target + ": " + why)));
        prober.start();
    }

    /** This end, the sender or pinger, is done: END with its figures until the server's RESULT. */
    private void ended(EndFigures local) {
        localFigures = local;
        long start = System.nanoTime();
        retry = repeat(() -> {
            if (System.nanoTime() - start > END_WAIT_NANOS) {
                fail(new NetbenchException("no answer from " + target + " after " + TimeUnit.NANOSECONDS.toSeconds(END_WAIT_NANOS)
                        + " s (waiting for the server's figures)"));
            } else {
                link.send(Datagram.control(channel.alloc(), DatagramType.END, session, local.toFields()));
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        try {
            onDatagram(packet.content(), System.nanoTime());
        } finally {
            packet.release();
        }
    }

    private void onDatagram(ByteBuf in, long now) {
        DatagramType type = Datagram.type(in);
        if (type == null || done.isDone()) {
            return;
        }
        if (!accepted.isDone()) {
            handshake(type, in);
            return;
        }
        if (Datagram.session(in) != session) {
            return; // a stray from an earlier test on this port
        }
        switch (type) {
            case DATA -> {
                if (receiver != null) {
                    cancel(retry);
                    receiver.onData(in, now);
                }
            }
            case PONG -> {
                if (pinger != null) {
                    pinger.onPong(in, now);
                } else if (prober != null) {
                    prober.onPong(in, now);
                }
            }
            case REPORT -> remoteProgress = Progress.fromFields(Datagram.fields(in));
            case RESULT -> {
                if (localFigures != null) {
                    Fields f = Datagram.fields(in);
                    ArrivalFigures arrivals = sender != null ? ArrivalFigures.fromFields(f.withPrefix("udp.")) : null;
                    finish(new UdpOutcome(localFigures, EndFigures.fromFields(f), arrivals, sender != null ? sender.side() : null,
                            pinger != null ? pinger.recorder() : null, pinger != null ? pinger.lost() : 0, pathMtu));
                }
            }
            case END -> {
                if (receiver != null) {
                    EndFigures local = receiver.close();
                    Fields f = Datagram.fields(in);
                    finish(new UdpOutcome(local, EndFigures.fromFields(f), receiver.arrivals(), SendSide.fromFields(f),
                            null, 0, null));
                }
            }
            case ABORT -> fail(new TestEndpoint.Aborted(Datagram.fields(in).get("reason")));
            default -> {
                // ACCEPT or COOKIE again: the answers to a repeated HELLO
            }
        }
    }

    private void handshake(DatagramType type, ByteBuf in) {
        Fields f = Datagram.fields(in);
        switch (type) {
            case COOKIE -> {
                cookie = f.require("cookie");
                hello();
            }
            case ACCEPT -> {
                cancel(retry);
                session = Datagram.session(in);
                acceptFields = f;
                accepted.complete(Identity.fromFields(f));
            }
            case REJECT -> fail(new NetbenchException("server " + target + " rejected " + spec.test().kind().wireName() + ": " + f.get("reason")));
            default -> {
                // a stray: not an answer to the HELLO
            }
        }
    }

    private void finish(UdpOutcome outcome) {
        link.send(Datagram.control(channel.alloc(), DatagramType.FIN, session, Fields.EMPTY));
        stopTimers();
        done.complete(outcome);
    }

    private void fail(Throwable cause) {
        stopTimers();
        accepted.completeExceptionally(cause);
        done.completeExceptionally(cause);
    }

    /** Stops what runs on the loop; a window still open (the test did not finish) is abandoned. */
    private void stopTimers() {
        if (pinger != null && !threadRunning || prober != null || sender != null || receiver != null) {
            window().abandon(); // a pinger's own thread abandons its window itself, on its way out
        }
        cancel(retry);
        cancel(keepalive);
        if (sender != null) {
            sender.stop();
        }
        if (pinger != null) {
            pinger.stop();
        }
        if (prober != null) {
            prober.stop();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (prober != null && MtuProber.tooBig(cause)) {
            prober.tooBig(); // an ICMP "too big" for a probe, reported on the connected socket
            return;
        }
        failed(cause);
    }

    private void failed(Throwable cause) {
        if (cause instanceof PortUnreachableException) {
            fail(new NetbenchException(target + " answered ICMP port unreachable: no netbench agent listens on that UDP port"));
        } else if (cause instanceof ProtocolException) {
            fail(new NetbenchException("malformed datagram from " + target + ": " + cause.getMessage()));
        } else {
            fail(cause);
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.eventLoop().execute(() -> {
                stopTimers();
                if (threadRunning) {
                    closeRequested = true; // the thread still reads the socket: it closes once the thread is done
                } else {
                    channel.close();
                }
            });
        }
    }

    private ScheduledFuture<?> repeat(Runnable task) {
        cancel(retry);
        return channel.eventLoop().scheduleAtFixedRate(task, 0, RETRY_NANOS, TimeUnit.NANOSECONDS);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
