package dev.netbench.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;

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

    void send(ByteBuf datagram) {
        write(datagram);
        channel.flush();
    }

    void flush() {
        channel.flush();
    }

    boolean writable() {
        return channel.isWritable();
    }
}
