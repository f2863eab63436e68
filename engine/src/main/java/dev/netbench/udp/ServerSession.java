package dev.netbench.udp;

import dev.netbench.protocol.Fields;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.EndFigures;
import dev.netbench.admission.Admission;
import dev.netbench.admission.ServedLine;
import dev.netbench.session.MeasuredWindow;
import dev.netbench.socket.DontFragment;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DatagramSocketAddress;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One validated UDP test on the agent, bound to its client's address: the receiver of udp_bw, its sender in
 * reverse, or udp_lat's echo. Every datagram it sends is bounded: PONGs are the PINGs echoed, one each; RESULT
 * and REPORT are single small datagrams; a reverse stream runs at the client's bit rate for the spec's time and
 * stops as soon as the client's KEEPALIVEs stop; END is repeated a bounded number of times.
 * <p>
 * udp_lat's echo has a socket of its own where the transport allows ({@link #echoOnOwnSocket}), served by a thread.
 */
final class ServerSession {
    /** A reverse stream stops when no KEEPALIVE came for this long (the client sends one every 0.5 s). */
    static final long CONSENT_NANOS = TimeUnit.SECONDS.toNanos(3);
    static final long OVERRUN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    static final int END_TRIES = 40;
    /** The echo thread's read wakes this often to see whether the test was closed. */
    private static final long ECHO_WAKE_MICROS = 100_000;
    /** Consecutive failed reads or writes (a client gone: ICMP port unreachable) the echo thread outlives. */
    private static final int ECHO_ERRORS = 1000;
    private final UdpAgent agent;
    private final Link link;
    private final int id;
    private final long nonce;
    private final UdpSpec spec;
    private final String clientHost;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private final BwReceiver receiver;
    private final BwSender sender;
    private final MeasuredWindow echoWindow;
    private final Admission.Ticket ticket;
    /** Written by the echo thread too. */
    private volatile long lastHeard = System.nanoTime();
    /** Set when the test closes: the echo thread, if any, lets go of its socket. */
    private volatile boolean echoStopping;
    /** On the event loop: udp_lat's echo runs on a thread of its own. */
    private boolean echoThread;
    /** mtu: this end's answers carry Don't Fragment, from an interface of this MTU (-1: not known). */
    private boolean dontFragment;
    private int interfaceMtu = -1;
    /** On the event loop: the test's own socket (null: none), and whether its thread still holds it. */
    private Channel own;
    private boolean ownOnThread;
    private Fields result;
    private boolean closed;

    ServerSession(UdpAgent agent, Link link, int id, long nonce, UdpSpec spec, String clientHost, Admission.Ticket ticket,
                  long idleNanos) {
        this.agent = agent;
        this.ticket = ticket;
        this.link = link;
        this.id = id;
        this.nonce = nonce;
        this.spec = spec;
        this.clientHost = clientHost;
        boolean bw = spec.test().kind() == TestKind.UDP_BW;
        this.receiver = bw && !spec.test().reverse() ? new BwReceiver(link.channel(), agent.gro()) : null;
        this.sender = bw && spec.test().reverse() ? new BwSender(link, spec, id, this::sent) : null;
        this.echoWindow = bw ? null : new MeasuredWindow();
        long deadline = spec.test().warmupNanos() + spec.test().durationNanos() + OVERRUN_GRACE_NANOS;
        schedule(() -> close("test still open " + TimeUnit.NANOSECONDS.toSeconds(OVERRUN_GRACE_NANOS) + " s after its end"), deadline, 0);
        if (receiver != null && spec.intervalNanos() > 0) {
            schedule(() -> link.send(Datagram.control(link.channel().alloc(), DatagramType.REPORT, id, receiver.progress().toFields())),
                    spec.intervalNanos(), spec.intervalNanos());
        }
        // a client that vanished (no FIN, no END) gives its slot back after the idle timeout, not at the overrun deadline
        long check = Math.max(TimeUnit.MILLISECONDS.toNanos(100), Math.min(idleNanos / 4, TimeUnit.SECONDS.toNanos(1)));
        schedule(() -> {
            if (System.nanoTime() - lastHeard > idleNanos) {
                agent.metrics().limitHit("idle_timeout");
                close("limit: idle timeout (" + java.math.BigDecimal.valueOf(idleNanos, 9).stripTrailingZeros().toPlainString()
                        + " s) passed with no datagram from the client");
            }
        }, check, check);
        if (sender != null) {
            schedule(() -> {
                if (System.nanoTime() - lastHeard > CONSENT_NANOS) {
                    close("no KEEPALIVE from the client for " + TimeUnit.NANOSECONDS.toSeconds(CONSENT_NANOS) + " s");
                }
            }, RETRY_NANOS, RETRY_NANOS);
        }
    }

    int id() {
        return id;
    }

    long nonce() {
        return nonce;
    }

    Link link() {
        return link;
    }

    void accept() {
        Fields.Builder b = Fields.builder().putAll(agent.identity().toFields(), "");
        if (spec.test().kind() == TestKind.MTU) {
            // what the prober needs of this end: whether its answers keep Don't Fragment, and its interface's MTU
            b.put("path.df", dontFragment);
            if (interfaceMtu > 0) {
                b.put("path.iface_mtu", interfaceMtu);
            }
        }
        link.send(Datagram.control(link.channel().alloc(), DatagramType.ACCEPT, id, b.build()));
    }

    void onDatagram(DatagramType type, ByteBuf in, long now) {
        lastHeard = now;
        switch (type) {
            case DATA -> {
                require(receiver != null, type);
                receiver.onData(in, now);
            }
            case PING -> {
                require(echoWindow != null, type);
                echo(in);
            }
            case START -> {
                require(sender != null, type);
                if (!sender.started()) {
                    sender.start();
                }
            }
            case END -> {
                require(sender == null, type);
                if (result == null) {
                    EndFigures figures = receiver != null ? receiver.close() : closeEcho();
                    Fields.Builder b = Fields.builder().putAll(figures.toFields(), "");
                    if (receiver != null) {
                        b.putAll(receiver.arrivals().toFields(), "udp.");
                    }
                    result = b.build();
                    served(figures);
                }
                link.send(Datagram.control(link.channel().alloc(), DatagramType.RESULT, id, result));
            }
            case FIN -> close(null);
            case KEEPALIVE -> {
                // lastHeard is all it is for
            }
            default -> throw new ProtocolException(type + " from a client");
        }
    }

    private void require(boolean ok, DatagramType type) {
        if (!ok) {
            throw new ProtocolException(type + " does not belong to " + spec.test().kind().wireName()
                    + (spec.test().reverse() ? " reverse" : ""));
        }
    }

    /** udp_lat: the PING goes back as its PONG, the same bytes. */
    private void echo(ByteBuf in) {
        if (result != null) {
            return;
        }
        link.send(pong(in.retain()));
    }

    /** Counts a PING and its PONG, and makes the one the other in place; the window opens at the first measured PING. */
    private ByteBuf pong(ByteBuf ping) {
        if (Datagram.measured(ping) && !echoWindow.wasOpened()) {
            echoWindow.open();
        }
        int size = ping.readableBytes();
        echoWindow.received(size, 1);
        echoWindow.sent(size, 1);
        return Datagram.toPong(ping);
    }

    /**
     * udp_lat: a socket of the test's own, bound to the agent's address and port (SO_REUSEADDR, as the shared one) and
     * connected to the client, so that the kernel hands it this client's datagrams before the shared socket; a thread
     * echoes each PING on it with one read(2) and one write(2), as qperf's server does. Anything else that comes on it
     * (END, FIN, a repeated HELLO), and everything once END came, goes to the agent on its event loop as if the shared
     * socket had read it; the PONGs leave from the same address and port, so the test keeps its one 5-tuple.
     * {@code then} runs on the event loop once the socket is in place, or could not be had (the shared socket then
     * serves the test, as every other).
     */
    void echoOnOwnSocket(Runnable then) {
        Channel shared = link.channel();
        new Bootstrap().group(shared.eventLoop()).channel(shared.getClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new Forward())
                .localAddress(shared.localAddress())
                .connect(link.peer())
                .addListener((ChannelFuture f) -> {
                    Channel own = f.channel();
                    if (!f.isSuccess() || closed || OwnThread.unavailable(own) != null) {
                        own.close();
                        then.run();
                        return;
                    }
                    if (spec.test().kind() == TestKind.MTU) {
                        Socket fd = (Socket) ((EpollDatagramChannel) own).fd();
                        try {
                            DontFragment.probe(fd);
                            dontFragment = true;
                            interfaceMtu = DontFragment.interfaceMtu(fd.localAddress().getAddress());
                        } catch (IOException e) {
                            agent.log("event=mtu_no_df peer=" + link.peer() + " reason=\"" + e.getMessage() + "\"");
                        }
                    }
                    echoThread = true;
                    this.own = own;
                    ownOnThread = true;
                    OwnThread.start(own, spec.test().busyPoll(), ECHO_WAKE_MICROS, "udp-echo", new Echo(), failure -> {
                        ownOnThread = false;
                        if (failure != null || closed) {
                            own.close();
                            if (failure != null) {
                                close("its own socket failed: " + failure.getMessage());
                            }
                        }
                        // else, back on the loop, it reads what this client sends after END (its FIN) until the end
                    });
                    then.run();
                });
    }

    /** A datagram of this client's that the test's own socket read, handed to the agent on the event loop. */
    private void forward(ByteBuf copy, java.net.InetSocketAddress from) {
        link.channel().eventLoop().execute(() -> {
            try {
                agent.received(copy, from);
            } finally {
                copy.release();
            }
        });
    }

    /** The test's own socket while the event loop still reads it (before the thread takes it). */
    private final class Forward extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            try {
                agent.received(packet.content(), packet.sender());
            } finally {
                packet.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // an ICMP error from an earlier datagram: the client says how its test went
        }
    }

    /** The echo thread's loop. */
    private final class Echo implements OwnThread.Loop {
        private boolean handedOver;
        private int errors;

        /** Whatever the socket took before it was connected (a datagram of anyone's) goes to the agent with its sender. */
        @Override
        public void before(Socket socket) throws IOException {
            ByteBuf in = Unpooled.directBuffer(Datagram.MAX, Datagram.MAX);
            try {
                for (DatagramSocketAddress from; (from = socket.recvFromAddress(in.memoryAddress(), 0, in.capacity())) != null; ) {
                    in.setIndex(0, from.receivedAmount());
                    forward(in.copy(), from);
                }
            } finally {
                in.release();
            }
        }

        @Override
        public void run(Socket socket) throws IOException {
            ByteBuf in = Unpooled.directBuffer(Datagram.MAX, Datagram.MAX);
            try {
                // until END: from there the event loop closes the window and reads the socket again
                while (!echoStopping && !handedOver) {
                    try {
                        int n = socket.readAddress(in.memoryAddress(), 0, in.capacity());
                        if (n > 0) {
                            in.setIndex(0, n);
                            onDatagram(socket, in);
                        } else {
                            OwnThread.idle(spec.test().busyPoll());
                        }
                        errors = 0;
                    } catch (IOException e) {
                        if (++errors > ECHO_ERRORS && !echoStopping) {
                            throw e;
                        }
                    }
                }
            } finally {
                in.release();
            }
        }

        private void onDatagram(Socket socket, ByteBuf in) throws IOException {
            lastHeard = System.nanoTime();
            DatagramType type = Datagram.type(in);
            if (type == DatagramType.PING && Datagram.session(in) == id) {
                ByteBuf p = pong(in);
                socket.writeAddress(p.memoryAddress(), p.readerIndex(), p.writerIndex());
                return;
            }
            // END: the window is the event loop's to close from here, and whatever follows is the loop's to read
            handedOver |= type == DatagramType.END || type == DatagramType.FIN;
            forward(in.copy(), link.peer());
        }
    }

    private EndFigures closeEcho() {
        if (!echoWindow.wasOpened()) {
            echoWindow.open();
        }
        return echoWindow.close().withIo(!echoThread ? "event_loop" : spec.test().busyPoll() ? "busy_poll" : "blocking");
    }

    /** Reverse: the stream is over; END with this end's figures goes until the client's FIN, a bounded number of times. */
    private void sent(EndFigures figures) {
        served(figures);
        result = Fields.builder().putAll(figures.toFields(), "").putAll(sender.side().toFields(), "").build();
        int[] tries = {0};
        schedule(() -> {
            if (tries[0]++ >= END_TRIES) {
                close("no FIN from the client after " + END_TRIES + " ENDs");
            } else {
                link.send(Datagram.control(link.channel().alloc(), DatagramType.END, id, result));
            }
        }, 0, RETRY_NANOS);
    }

    private void served(EndFigures figures) {
        agent.metrics().served(spec.test().kind(), figures);
        agent.log(ServedLine.format(spec.test(), String.valueOf(link.peer()), clientHost, figures));
    }

    /** The agent is stopping: stop sending, tell the client why, forget the test. */
    void abort(String reason) {
        link.send(Datagram.control(link.channel().alloc(), DatagramType.ABORT, id, Fields.builder().put("reason", reason).build()));
        close(null);
        agent.metrics().aborted(1);
    }

    /** Forgets the test; a non-null {@code error} is logged as the reason it ended early. */
    void close(String error) {
        if (closed) {
            return;
        }
        closed = true;
        echoStopping = true;
        if (own != null && !ownOnThread) {
            own.close();
        }
        timers.forEach(t -> t.cancel(false));
        for (MeasuredWindow w : new MeasuredWindow[] {echoWindow, receiver != null ? receiver.window() : null,
                sender != null ? sender.window() : null}) {
            if (w != null) {
                w.abandon();
            }
        }
        if (sender != null) {
            sender.stop();
        }
        agent.removed(this);
        ticket.release();
        if (error != null) {
            agent.metrics().connectionError();
            agent.log("event=closed peer=" + link.peer() + " test=" + spec.test().kind().wireName() + " reason=\"" + error + "\"");
        }
    }

    private void schedule(Runnable task, long delayNanos, long periodNanos) {
        var loop = link.channel().eventLoop();
        timers.add(periodNanos > 0
                ? loop.scheduleAtFixedRate(task, delayNanos, periodNanos, TimeUnit.NANOSECONDS)
                : loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS));
    }
}
