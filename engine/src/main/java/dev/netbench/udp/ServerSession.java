package dev.netbench.udp;

import dev.netbench.protocol.Fields;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.EndFigures;
import dev.netbench.admission.Admission;
import dev.netbench.admission.ServedLine;
import dev.netbench.session.MeasuredWindow;
import dev.netbench.socket.DontFragment;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One validated UDP test on the agent, from its client's address: the receiver of udp_bw, its sender in reverse, or
 * udp_lat's echo. Every datagram it sends is bounded: PONGs are the PINGs echoed, one each; RESULT and REPORT are
 * single small datagrams; a reverse stream runs at the client's bit rate for the spec's time and stops as soon as the
 * client's KEEPALIVEs stop; END is repeated a bounded number of times.
 * <p>
 * On the native transport a test has a socket of its own ({@link OwnSocket}) on an event loop of its own, and the
 * session is confined to that loop: the agent's loop keeps the map of sessions and hands a session what the shared
 * socket read for it. udp_lat's echo runs on a thread of its own on that socket ({@link #echoOnThread}). Elsewhere the
 * test shares the agent's socket and loop.
 */
final class ServerSession implements EchoLoop.Session {
    /** A reverse stream stops when no KEEPALIVE came for this long (the client sends one every 0.5 s). */
    static final long CONSENT_NANOS = TimeUnit.SECONDS.toNanos(3);
    static final long OVERRUN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    static final int END_TRIES = 40;
    /** The echo thread's read wakes this often to see whether the test was closed. */
    private static final long ECHO_WAKE_MICROS = 100_000;
    private final UdpAgent agent;
    private final EventLoop loop;
    private final InetSocketAddress peer;
    private final int id;
    private final long nonce;
    private final UdpSpec spec;
    private final String clientHost;
    private final long idleNanos;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private final MeasuredWindow echoWindow;
    private final Admission.Ticket ticket;
    /** Written by the echo thread too. */
    private volatile long lastHeard = System.nanoTime();
    /** The rest is the loop's. Set once the test's socket is in place: where its datagrams go, and the bw ends. */
    private Link link;
    private BwReceiver receiver;
    private BwSender sender;
    /** udp_lat's echo runs on a thread of its own. */
    private boolean echoThread;
    /** mtu: this end's answers carry Don't Fragment, from an interface of this MTU (-1: not known). */
    private boolean dontFragment;
    private int interfaceMtu = -1;
    /** The test's own socket (null: none), and whether its thread holds it. */
    private Channel own;
    private boolean ownOnThread;
    private Fields result;
    /** Set on the loop; read by the echo thread too, which lets go of its socket once set. */
    private volatile boolean closed;

    /** {@code loop}: the one the session is confined to, the shared socket's where it has no socket of its own. */
    ServerSession(UdpAgent agent, EventLoop loop, InetSocketAddress peer, int id, long nonce, UdpSpec spec, String clientHost,
                  Admission.Ticket ticket, long idleNanos) {
        this.agent = agent;
        this.loop = loop;
        this.peer = peer;
        this.ticket = ticket;
        this.id = id;
        this.nonce = nonce;
        this.spec = spec;
        this.clientHost = clientHost;
        this.idleNanos = idleNanos;
        this.echoWindow = spec.test().kind() == TestKind.UDP_BW ? null : new MeasuredWindow();
    }

    int id() {
        return id;
    }

    @Override
    public void heard() {
        lastHeard = System.nanoTime();
    }

    @Override
    public boolean stopping() {
        return closed;
    }

    long nonce() {
        return nonce;
    }

    InetSocketAddress peer() {
        return peer;
    }

    /** Runs {@code task} on the session's loop: now if this is it. */
    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /** From the agent: puts the test's socket in place (its own, or {@code shared}), then ACCEPTs. */
    void open(Channel shared) {
        onLoop(() -> {
            if (!OwnSocket.possible(shared)) {
                started(new Link(shared, peer), agent.gro() ? Offload.Reads.GRO : Offload.Reads.SINGLE);
                return;
            }
            OwnSocket.open(shared, loop, peer, this::read, own -> {
                if (own == null) {
                    agent.reject(peer, "the agent could not open a socket for the test");
                    close("no socket of its own");
                } else if (closed) {
                    own.close();
                } else {
                    this.own = own;
                    // echoes keep to one datagram per read: a thread of their own reads them with read(2)
                    started(Link.connected(own), echoWindow != null ? Offload.Reads.SINGLE
                            : Offload.batchReads(own, spec.offload(), spec.test().msgSize()));
                }
            });
        });
    }

    private void started(Link link, Offload.Reads reads) {
        this.link = link;
        boolean bw = spec.test().kind() == TestKind.UDP_BW;
        this.receiver = bw && !spec.test().reverse() ? new BwReceiver(link.channel(), reads, spec.bitsPerSecond()) : null;
        this.sender = bw && spec.test().reverse() ? new BwSender(link, spec, id, this::sent) : null;
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
        if (spec.test().kind() == TestKind.MTU && own != null) {
            dontFragment();
        }
        if (echoWindow != null && own != null && OwnThread.unavailable(own) == null) {
            echoOnThread();
        }
        accept();
    }

    /** mtu: this end's answers are to keep Don't Fragment; the ACCEPT says whether they do, and from what interface MTU. */
    private void dontFragment() {
        Socket fd = (Socket) ((EpollDatagramChannel) own).fd();
        try {
            DontFragment.probe(fd);
            dontFragment = true;
            interfaceMtu = DontFragment.interfaceMtu(fd.localAddress().getAddress());
        } catch (IOException e) {
            agent.log("event=mtu_no_df peer=" + peer + " reason=\"" + e.getMessage() + "\"");
        }
    }

    /** ACCEPT again: the client repeated its HELLO, so the first was lost. */
    void acceptAgain() {
        onLoop(() -> {
            if (link != null && !closed) {
                accept();
            }
        });
    }

    private void accept() {
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

    /**
     * A datagram of this test's that the agent's shared socket read ({@code in} is released after the call returns): on
     * this session's loop, or a copy of it there.
     */
    void deliver(DatagramType type, ByteBuf in, long now) {
        Datagram.onLoop(loop, in, datagram -> dispatch(type, datagram, now));
    }

    /** What the test's own socket read, on the loop: this test's datagrams are its own, the rest the agent's. */
    private void read(ByteBuf in, InetSocketAddress from) {
        DatagramType type = Datagram.type(in);
        if (type != null && type != DatagramType.HELLO && peer.equals(from) && Datagram.session(in) == id) {
            dispatch(type, in, System.nanoTime());
        } else {
            agent.receivedElsewhere(in, from);
        }
    }

    private void dispatch(DatagramType type, ByteBuf in, long now) {
        if (link == null || closed) {
            return;
        }
        try {
            onDatagram(type, in, now);
        } catch (ProtocolException e) {
            close("protocol error: " + e.getMessage());
        }
    }

    private void onDatagram(DatagramType type, ByteBuf in, long now) {
        lastHeard = now;
        switch (type) {
            case DATA -> {
                require(receiver != null, type);
                receiver.onData(in, now);
            }
            case PING -> {
                require(echoWindow != null, type);
                if (result == null) { // none after END
                    link.send(pong(in.retain()));
                }
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

    /** Counts a PING and its PONG, and makes the one the other in place; the window opens at the first measured PING. */
    @Override
    public ByteBuf pong(ByteBuf ping) {
        if (Datagram.measured(ping) && !echoWindow.wasOpened()) {
            echoWindow.open();
        }
        int size = ping.readableBytes();
        echoWindow.received(size, 1);
        echoWindow.sent(size, 1);
        return Datagram.toPong(ping);
    }

    /**
     * udp_lat and mtu: a thread takes the test's socket and echoes each PING on it with one read(2) and one write(2), as
     * qperf's server does. Anything else that comes on it (END, FIN, a repeated HELLO), and everything once END came,
     * goes to the loop as if the loop had read it.
     */
    private void echoOnThread() {
        Channel own = this.own;
        echoThread = true;
        ownOnThread = true;
        OwnThread.start(own, spec.test().busyPoll(), ECHO_WAKE_MICROS, "udp-echo", new EchoLoop(id, peer, spec.test().busyPoll(), this),
                failure -> {
                    ownOnThread = false;
                    if (failure != null || closed) {
                        own.close();
                        if (failure != null) {
                            close("its own socket failed: " + failure.getMessage());
                        }
                    }
                    // else, back on the loop, it reads what this client sends after END (its FIN) until the end
                });
    }

    @Override
    public void forward(ByteBuf in, InetSocketAddress from) {
        Datagram.onLoop(loop, in, datagram -> read(datagram, from));
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
        agent.log(ServedLine.format(spec.test(), String.valueOf(peer), clientHost, figures));
    }

    /** The agent is stopping: stop sending, tell the client why, forget the test. */
    void abort(String reason) {
        onLoop(() -> {
            if (link != null && !closed) {
                link.send(Datagram.control(link.channel().alloc(), DatagramType.ABORT, id, Fields.builder().put("reason", reason).build()));
            }
            close(null);
        });
    }

    /** From the agent, which has already forgotten the test: it ends, {@code error} logged as why. */
    void end(String error) {
        onLoop(() -> close(error));
    }

    /** Forgets the test, on the loop; a non-null {@code error} is logged as the reason it ended early. */
    private void close(String error) {
        if (closed) {
            return;
        }
        closed = true;
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
        agent.forget(this);
        ticket.release();
        if (error != null) {
            agent.metrics().connectionError();
            agent.log("event=closed peer=" + peer + " test=" + spec.test().kind().wireName() + " reason=\"" + error + "\"");
        }
    }

    private void schedule(Runnable task, long delayNanos, long periodNanos) {
        timers.add(periodNanos > 0
                ? loop.scheduleAtFixedRate(task, delayNanos, periodNanos, TimeUnit.NANOSECONDS)
                : loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS));
    }
}
