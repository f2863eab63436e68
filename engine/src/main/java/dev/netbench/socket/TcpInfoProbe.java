package dev.netbench.socket;

import dev.netbench.socket.TcpInfoSample;
import dev.netbench.socket.SocketOptions;
import dev.netbench.report.SenderTcp;
import io.netty.channel.Channel;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Reads TCP_INFO of one connection (a getsockopt through {@link SocketOptions}, no blocking). Only the native epoll
 * transport can; on Java NIO every read is null and the window's figures say why. Reads run on the channel's event
 * loop (the descriptor is only read while the loop keeps the channel open); other threads use
 * {@link #readFromOtherThread()}.
 */
public final class TcpInfoProbe {
    static final String NIO = "the sending end runs on Java NIO, which cannot read TCP_INFO (native epoll only)";
    private final Channel channel;
    /** Why TCP_INFO cannot be read on this channel, or null. */
    private final String unavailable;
    /** The last counters read: the connection's final state once it is gone (the window's END reads it last). */
    private volatile TcpInfoSample last;

    public TcpInfoProbe(Channel channel) {
        this.channel = channel;
        String why = SocketOptions.unavailable(channel);
        this.unavailable = why == null ? null : channel instanceof io.netty.channel.unix.UnixChannel ? why : NIO;
    }

    /** The counters now, or null where they cannot be read (NIO, or the connection is gone). */
    public TcpInfoSample read() {
        if (unavailable != null || !channel.isActive()) {
            return null;
        }
        try {
            last = SocketOptions.tcpInfo(channel);
        } catch (SocketOptions.Failed e) {
            return null;
        }
        return last;
    }

    /** The window from the sample taken at its open to now, or why there are no figures. */
    public SenderTcp since(TcpInfoSample start) {
        if (unavailable != null) {
            return SenderTcp.unavailable(unavailable);
        }
        TcpInfoSample now = read();
        if (start == null || now == null) {
            return SenderTcp.unavailable("TCP_INFO could not be read at the window's " + (start == null ? "open" : "close"));
        }
        return SenderTcp.measured(now.since(start));
    }

    /** {@link #read()} from a thread other than the loop (the -i timer), which waits for the loop to do it; once the
     * connection is gone, the last counters read (the final interval line comes after the window has closed). */
    public TcpInfoSample readFromOtherThread() throws InterruptedException {
        if (unavailable != null) {
            return null;
        }
        try {
            TcpInfoSample now = channel.eventLoop().submit(this::read).get();
            return now != null ? now : last;
        } catch (ExecutionException | RejectedExecutionException e) {
            return last;
        }
    }
}
