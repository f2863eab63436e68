package dev.netbench.report;

import java.util.List;

/**
 * tcp_bw and udp_bw figures; {@code datagrams} is set for udp_bw only. {@code bitsPerSecond} is the receivers' goodput (payload only), summed over streams;
 * {@code bytes} is what the receivers counted, {@code bytesSent} what the senders handed to the socket.
 * Costs are CPU seconds per GB (10^9 bytes) of the sending and receiving process; NaN where not measurable.
 * {@code senderTcp} is the sending end's TCP_INFO for tcp_bw, null for udp_bw.
 */
public record Bandwidth(long bytes, long bytesSent, double seconds, double bitsPerSecond, double msgRate,
                        double sendCost, double recvCost, List<Stream> perStream, Datagrams datagrams, SenderTcp senderTcp) {

    public Bandwidth {
        perStream = List.copyOf(perStream);
    }

    /** One connection of a (-P) parallel test, as its receiver measured it, and its sender's TCP_INFO (tcp_bw). */
    public record Stream(int stream, long bytes, long bytesSent, double seconds, double bitsPerSecond, SenderTcp senderTcp) {
    }
}
