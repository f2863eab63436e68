package dev.netbench.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;

import java.net.InetSocketAddress;

/**
 * Where one UDP test's datagrams go: the client's connected channel, or the server's shared channel to one peer.
 * Writes are not flushed: senders flush once per batch.
 */
record Link(Channel channel, InetSocketAddress peer) {

    /** The client's link: its channel is connected, so every datagram goes to the one server 5-tuple. */
    static Link connected(Channel channel) {
        return new Link(channel, null);
    }

    void write(ByteBuf datagram) {
        channel.write(peer == null ? datagram : new DatagramPacket(datagram, peer), channel.voidPromise());
    }

    /**
     * Writes a GSO batch of datagrams of {@code segment} bytes each. A connected channel's batch names only its sender:
     * the kernel sends it to the connected peer.
     */
    void writeBatch(ByteBuf batch, int segment, ChannelPromise promise) {
        channel.write(peer == null
                ? new SegmentedDatagramPacket(batch, segment, null, (InetSocketAddress) channel.localAddress())
                : new SegmentedDatagramPacket(batch, segment, peer), promise);
    }

    void send(ByteBuf datagram) {
        write(datagram);
        channel.flush();
    }

    void flush() {
        channel.flush();
    }

    /** A socket buffer's size as the kernel granted it (Linux: twice the request, capped at twice the sysctl); -1 unknown. */
    static int granted(Channel channel, ChannelOption<Integer> option) {
        try {
            Integer granted = channel.config().getOption(option);
            return granted == null ? -1 : granted; // null: a channel without a socket option (an embedded one)
        } catch (ChannelException e) {
            return -1;
        }
    }

    boolean writable() {
        return channel.isWritable();
    }
}
