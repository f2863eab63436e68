package dev.netbench.udp;

import dev.netbench.protocol.TestKind;
import dev.netbench.report.EndFigures;
import dev.netbench.report.PathMtu;
import dev.netbench.session.MeasuredWindow;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The mtu test's client end, on its channel's event loop: PINGs of chosen sizes, each echoed whole by the agent, with
 * Don't Fragment set at both ends (never fragmented on the way). First netbench's smallest datagram (it must come
 * back: the path works at all), then the largest the interfaces allow (it often comes back: done), else a binary
 * search between the largest size that came back and the smallest that did not. A size is tried up to
 * {@value #TRIES} times, each waiting {@link #echoWait} for its echo, so that one lost datagram is not taken for a black
 * hole; a size this end's kernel refuses (EMSGSIZE: over this end's interface, or the path's MTU as an ICMP "too
 * big" taught it) is too big at once.
 */
final class MtuProber {
    static final int TRIES = 3;
    /** IP and UDP headers: 20 + 8 over IPv4, 40 + 8 over IPv6. */
    static final int IPV4_HEADERS = 28;
    static final int IPV6_HEADERS = 48;
    static final long MIN_WAIT = TimeUnit.MILLISECONDS.toNanos(20);
    static final long MAX_WAIT = TimeUnit.SECONDS.toNanos(1);

    private final Link link;
    private final int session;
    private final int headerBytes;
    private final int localMtu;
    private final int remoteMtu;
    private final boolean agentDontFragment;
    private final BiConsumer<EndFigures, PathMtu> onEnd;
    private final Consumer<String> onFailure;
    private final MeasuredWindow window = new MeasuredWindow();
    /** The largest payload that came back, and the smallest known not to (the interfaces' limit + 1 at first). */
    private int good;
    private int bad;
    private final int largest;
    /** Whether {@code bad} is a size lost every time (else the kernel refused it, or it is the interfaces' limit + 1). */
    private boolean badByLoss;
    private int size;
    private int tries;
    private int seq;
    private long sentAt;
    private long echoWait = TimeUnit.MILLISECONDS.toNanos(200);
    private int probes;
    private int lost;
    private ScheduledFuture<?> timer;
    private boolean ended;

    /**
     * {@code headerBytes}: IP and UDP headers on this path (28 or 48); {@code localMtu}, {@code remoteMtu}: the two
     * ends' interface MTUs (-1: not known).
     */
    MtuProber(Link link, int session, int headerBytes, int localMtu, int remoteMtu, boolean agentDontFragment,
              BiConsumer<EndFigures, PathMtu> onEnd, Consumer<String> onFailure) {
        this.link = link;
        this.session = session;
        this.headerBytes = headerBytes;
        this.localMtu = localMtu;
        this.remoteMtu = remoteMtu;
        this.agentDontFragment = agentDontFragment;
        this.onEnd = onEnd;
        this.onFailure = onFailure;
        int mtu = localMtu > 0 && remoteMtu > 0 ? Math.min(localMtu, remoteMtu) : Math.max(localMtu, remoteMtu);
        largest = mtu > 0 ? Math.max(TestKind.UdpLimits.HEADER, Math.min(TestKind.UdpLimits.MAX_PAYLOAD, mtu - headerBytes))
                : TestKind.UdpLimits.MAX_PAYLOAD;
        bad = largest + 1;
    }

    MeasuredWindow window() {
        return window;
    }

    void start() {
        window.open();
        probe(TestKind.UdpLimits.HEADER);
    }

    void stop() {
        ended = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** An echo: the size under test came back whole. */
    void onPong(ByteBuf in, long now) {
        if (ended || Datagram.seq(in) != seq || in.readableBytes() != size) {
            return; // a late echo of an earlier try or size: that size's verdict is already taken
        }
        timer.cancel(false);
        window.received(in.readableBytes(), 1);
        if (size == TestKind.UdpLimits.HEADER) {
            // the smallest datagram's round trip sets the wait: four of them, 20 ms to 1 s
            echoWait = Math.max(MIN_WAIT, Math.min(MAX_WAIT, 4 * (now - sentAt)));
        }
        good = size;
        next();
    }

    /** This end's kernel refused the size under test (EMSGSIZE), at the send or by an ICMP "too big" it received. */
    void tooBig() {
        if (ended || size == 0) {
            return;
        }
        timer.cancel(false);
        if (size == TestKind.UdpLimits.HEADER) {
            fail("the path refuses even " + (size + headerBytes) + "-byte packets");
            return;
        }
        bad = size;
        badByLoss = false;
        next();
    }

    private void next() {
        if (good == largest || size != TestKind.UdpLimits.HEADER && bad - good <= 1) {
            finish();
        } else if (size == TestKind.UdpLimits.HEADER) {
            probe(largest);
        } else {
            probe(good + (bad - good) / 2);
        }
    }

    private void probe(int payload) {
        size = payload;
        tries = 0;
        send();
    }

    private void send() {
        tries++;
        probes++;
        seq++;
        sentAt = System.nanoTime();
        ByteBuf ping = Datagram.traffic(link.channel().alloc(), DatagramType.PING, session, seq, sentAt, true, size);
        int sentSize = size;
        ChannelFuture f = link.channel().writeAndFlush(ping);
        f.addListener(done -> {
            if (!done.isSuccess() && sentSize == size && tooBig(done.cause())) {
                tooBig();
            }
        });
        window.sent(size, 1);
        timer = link.channel().eventLoop().schedule(this::timedOut, echoWait, TimeUnit.NANOSECONDS);
    }

    private void timedOut() {
        if (ended) {
            return;
        }
        lost++;
        if (tries < TRIES) {
            send();
            return;
        }
        if (size == TestKind.UdpLimits.HEADER) {
            fail("no echo of a " + (size + headerBytes) + "-byte packet in " + TRIES + " tries");
            return;
        }
        bad = size;
        badByLoss = true;
        next();
    }

    /** EMSGSIZE, as Netty's native transport words it. */
    static boolean tooBig(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Message too long")) {
                return true;
            }
        }
        return false;
    }

    private void finish() {
        stop();
        String limit = good == largest ? "interface" : badByLoss ? "black_hole" : "icmp";
        onEnd.accept(window.close(), new PathMtu(headerBytes == IPV4_HEADERS ? "ipv4" : "ipv6", good + headerBytes, headerBytes,
                localMtu, remoteMtu, limit, badByLoss && good < largest ? bad + headerBytes : null, probes, lost,
                agentDontFragment));
    }

    private void fail(String why) {
        stop();
        window.abandon();
        onFailure.accept(why);
    }
}
