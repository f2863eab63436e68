package dev.netbench.socket;

import dev.netbench.socket.ZeroCopyFile;
import dev.netbench.socket.SocketOptions;
import dev.netbench.protocol.SocketKnobs;
import dev.netbench.protocol.TestSpec;
import dev.netbench.report.SocketReadback;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * Applies a tcp_bw test's {@link SocketKnobs} to one of its data sockets and reads them back. TCP_NODELAY, SO_SNDBUF,
 * SO_RCVBUF and IP_TOS go through Netty's options (epoll and NIO alike); TCP_MAXSEG and TCP_CONGESTION through
 * {@link SocketOptions}, and -Z's file of zeros through {@link ZeroCopyFile} (native epoll only). A knob that cannot
 * be applied throws {@link SocketOptions.Failed}: never silently ignored.
 */
public final class DataSocket {
    private DataSocket() {
    }

    /**
     * The client's socket, before it connects: everything, TCP_MAXSEG included (the MSS this end's SYN advertises
     * bounds the segments of both directions), and the buffers (whose size also picks the window scale of the SYN).
     */
    public static void applyBeforeConnect(Channel ch, TestSpec spec) {
        apply(ch, spec, true);
    }

    /**
     * The agent's accepted socket, when the HELLO says what the test asks: everything but TCP_MAXSEG, which on an
     * established connection no longer changes its MSS (the client's SYN already bounded it; setting it on the
     * listening socket would impose it on every connection).
     */
    public static void applyAccepted(Channel ch, TestSpec spec) {
        apply(ch, spec, false);
    }

    private static void apply(Channel ch, TestSpec spec, boolean beforeConnect) {
        SocketKnobs knobs = spec.sockets();
        String native_ = SocketOptions.unavailable(ch);
        if (native_ != null && (knobs.congestion() != null || knobs.mss() > 0 && beforeConnect)) {
            throw new SocketOptions.Failed((knobs.congestion() != null ? "-C/--congestion" : "-M/--set-mss")
                    + " cannot be applied: " + native_);
        }
        ChannelConfig config = ch.config();
        set(config, ChannelOption.TCP_NODELAY, knobs.noDelay(), "TCP_NODELAY");
        if (knobs.window() > 0) {
            set(config, ChannelOption.SO_SNDBUF, knobs.window(), "SO_SNDBUF");
            set(config, ChannelOption.SO_RCVBUF, knobs.window(), "SO_RCVBUF");
        }
        if (knobs.tos() >= 0) {
            set(config, ChannelOption.IP_TOS, knobs.tos(), "IP_TOS");
        }
        if (knobs.mss() > 0 && beforeConnect) {
            SocketOptions.setMaxSeg(ch, knobs.mss());
        }
        if (knobs.congestion() != null) {
            SocketOptions.setCongestion(ch, knobs.congestion());
        }
        // -Z is how the sending end sends: the client unless -R, the agent with it; a receiver sends no message
        if (knobs.zerocopy() && beforeConnect != spec.reverse()) {
            ZeroCopyFile.attach(ch, spec.msgSize());
        }
    }

    private static <T> void set(ChannelConfig config, ChannelOption<T> option, T value, String name) {
        boolean done;
        try {
            done = config.setOption(option, value);
        } catch (ChannelException e) {
            throw new SocketOptions.Failed("setsockopt(" + name + ", " + value + "): " + e.getMessage());
        }
        if (!done) {
            throw new SocketOptions.Failed(name + " is not supported by this transport");
        }
    }

    /**
     * The connected socket's options as the kernel holds them now, and whether this end sends with sendfile (-Z);
     * what this transport cannot read is null.
     */
    public static SocketReadback read(Channel ch) {
        ChannelConfig config = ch.config();
        boolean zerocopy = ZeroCopyFile.attached(ch) != null;
        Boolean noDelay = config.getOption(ChannelOption.TCP_NODELAY);
        Integer sndbuf = config.getOption(ChannelOption.SO_SNDBUF);
        Integer rcvbuf = config.getOption(ChannelOption.SO_RCVBUF);
        String missing = SocketOptions.unavailable(ch);
        if (missing != null) {
            return new SocketReadback(noDelay, zerocopy, sndbuf, rcvbuf, null, config.getOption(ChannelOption.IP_TOS), null,
                    "TCP_CONGESTION and TCP_MAXSEG: " + missing);
        }
        try {
            // an IPv4 peer (on Netty's dual-stack IPv6 socket, v4-mapped): the IP_TOS its packets carry; an IPv6 peer:
            // IPV6_TCLASS, which Netty's IP_TOS option reads on an IPv6 socket
            int tos = ch.remoteAddress() instanceof InetSocketAddress a && a.getAddress() instanceof Inet6Address
                    ? config.getOption(ChannelOption.IP_TOS) : SocketOptions.ipTos(ch);
            return new SocketReadback(noDelay, zerocopy, sndbuf, rcvbuf, SocketOptions.congestion(ch), tos, SocketOptions.maxSeg(ch), null);
        } catch (SocketOptions.Failed e) {
            return new SocketReadback(noDelay, zerocopy, sndbuf, rcvbuf, null, config.getOption(ChannelOption.IP_TOS), null, e.getMessage());
        }
    }
}
