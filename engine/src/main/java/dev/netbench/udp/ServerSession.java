package dev.netbench.udp;

import dev.netbench.protocol.Fields;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.EndFigures;
import dev.netbench.admission.Admission;
import dev.netbench.admission.ServedLine;
import dev.netbench.session.MeasuredWindow;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One validated UDP test on the agent, bound to its client's address: the receiver of udp_bw, its sender in
 * reverse, or udp_lat's echo. Every datagram it sends is bounded: PONGs are the PINGs echoed, one each; RESULT
 * and REPORT are single small datagrams; a reverse stream runs at the client's bit rate for the spec's time and
 * stops as soon as the client's KEEPALIVEs stop; END is repeated a bounded number of times.
 */
final class ServerSession {
    /** A reverse stream stops when no KEEPALIVE came for this long (the client sends one every 0.5 s). */
    static final long CONSENT_NANOS = TimeUnit.SECONDS.toNanos(3);
    static final long OVERRUN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    static final int END_TRIES = 40;
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
    private long lastHeard = System.nanoTime();
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
        this.receiver = bw && !spec.test().reverse() ? new BwReceiver(link.channel()) : null;
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
        link.send(Datagram.control(link.channel().alloc(), DatagramType.ACCEPT, id, agent.identity().toFields()));
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

    /** udp_lat: the PING goes back as its PONG, the same bytes; the window opens at the first measured PING. */
    private void echo(ByteBuf in) {
        if (result != null) {
            return;
        }
        boolean measured = Datagram.measured(in);
        if (measured && !echoWindow.wasOpened()) {
            echoWindow.open();
        }
        int size = in.readableBytes();
        echoWindow.received(size, 1);
        link.send(Datagram.toPong(in.retain()));
        echoWindow.sent(size, 1);
    }

    private EndFigures closeEcho() {
        if (!echoWindow.wasOpened()) {
            echoWindow.open();
        }
        return echoWindow.close();
    }

    /** Reverse: the stream is over; END with this end's figures goes until the client's FIN, a bounded number of times. */
    private void sent(EndFigures figures) {
        served(figures);
        result = Fields.builder().putAll(figures.toFields(), "").putAll(sender.kernel().toFields(), "kernel.").build();
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
