package dev.netbench.report;

import dev.netbench.cpu.Cost;

import java.util.List;

/**
 * tcp_bw and udp_bw figures; {@code datagrams} is set for udp_bw only. {@code bitsPerSecond} is the receivers' goodput (payload only), summed over streams;
 * {@code bytes} is what the receivers counted, {@code bytesSent} what the senders handed to the socket.
 * Costs are CPU seconds per GB (10^9 bytes) at the sending and the receiving end (host-wide as qperf's, net of the
 * host's baseline, and the netbench process's own); each NaN with its reason where it cannot be given.
 * {@code senderTcp} is the sending end's TCP_INFO for tcp_bw, null for udp_bw.
 * {@code bidir} is set for a tcp_bw run both ways at once (--bidir): then the figures above are both directions'
 * streams together (goodput the sum of both), and each direction's own are in it. {@code common} is set for several
 * tcp_bw streams whose common window could be read: their goodput is over it, and {@code bytes} and {@code seconds}
 * stay what the receivers counted each in its own window.
 */
public record Bandwidth(long bytes, long bytesSent, double seconds, double bitsPerSecond, double msgRate,
                        Cost sendCost, Cost recvCost, List<Stream> perStream, Datagrams datagrams, SenderTcp senderTcp,
                        Bidir bidir, Common common) {

    public Bandwidth {
        perStream = List.copyOf(perStream);
    }

    /** One direction only. */
    public Bandwidth(long bytes, long bytesSent, double seconds, double bitsPerSecond, double msgRate,
                     Cost sendCost, Cost recvCost, List<Stream> perStream, Datagrams datagrams, SenderTcp senderTcp) {
        this(bytes, bytesSent, seconds, bitsPerSecond, msgRate, sendCost, recvCost, perStream, datagrams, senderTcp, null, null);
    }

    /**
     * Several tcp_bw streams: the window they all shared on the client's clock, and the payload their data crossed the
     * path with in it by the kernel's count; {@code bitsPerSecond} is then {@code bytes} × 8 / {@code seconds}. Where
     * it could not be read, {@code missing} says why (bytes 0, seconds NaN) and the goodput is the streams' sum.
     */
    public record Common(long bytes, double seconds, String missing) {
        public static Common of(long bytes, double seconds) {
            return new Common(bytes, seconds, null);
        }

        public boolean read() {
            return missing == null;
        }
    }

    /**
     * iperf3's --bidir: the client's streams that send ({@code send}, the forward direction) and those that receive
     * ({@code receive}, as -R), run at the same time on their own connections, each direction's figures apart.
     */
    public record Bidir(Bandwidth send, Bandwidth receive) {
    }

    /**
     * One connection of a (-P) parallel test, as its receiver measured it, its sender's TCP_INFO (tcp_bw) and both
     * ends' data sockets as read back (tcp_bw; null otherwise).
     */
    public record Stream(int stream, long bytes, long bytesSent, double seconds, double bitsPerSecond, SenderTcp senderTcp,
                         SocketReadback.Ends sockets) {
        public Stream(int stream, long bytes, long bytesSent, double seconds, double bitsPerSecond, SenderTcp senderTcp) {
            this(stream, bytes, bytesSent, seconds, bitsPerSecond, senderTcp, null);
        }
    }

    /** The data sockets of the first stream (parallel streams are set up alike), or null (udp_bw, an older path). */
    public SocketReadback.Ends sockets() {
        return perStream.isEmpty() ? null : perStream.get(0).sockets();
    }
}
