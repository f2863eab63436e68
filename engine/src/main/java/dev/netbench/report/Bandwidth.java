package dev.netbench.report;

import dev.netbench.cpu.Cost;

import java.util.List;

/**
 * tcp_bw and udp_bw figures; {@code datagrams} is set for udp_bw only. {@code bitsPerSecond} is the receivers' goodput (payload only), summed over streams;
 * {@code bytes} is what the receivers counted, {@code bytesSent} what the senders handed to the socket.
 * Costs are CPU seconds per GB (10^9 bytes) at the sending and the receiving end (host-wide as qperf's, net of the
 * host's baseline, and the netbench process's own); each NaN with its reason where it cannot be given.
 * {@code senderTcp} is the sending end's TCP_INFO for tcp_bw, null for udp_bw.
 */
public record Bandwidth(long bytes, long bytesSent, double seconds, double bitsPerSecond, double msgRate,
                        Cost sendCost, Cost recvCost, List<Stream> perStream, Datagrams datagrams, SenderTcp senderTcp) {

    public Bandwidth {
        perStream = List.copyOf(perStream);
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
