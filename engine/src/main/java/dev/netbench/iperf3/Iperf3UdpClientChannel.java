package dev.netbench.iperf3;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.CompletableFuture;

/**
 * A client's UDP stream channel: the server's first datagram answers the connect datagram; later ones are the
 * stream's. A port-unreachable error (an earlier datagram's ICMP) does not end the stream, as in iperf3.
 */
final class Iperf3UdpClientChannel extends ChannelInboundHandlerAdapter {
    final CompletableFuture<Void> replied = new CompletableFuture<>();
    volatile Iperf3UdpStream stream;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!replied.isDone()) {
                replied.complete(null);
            } else if (msg instanceof DatagramPacket d) {
                stream.onDatagram(d.content(), System.nanoTime());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // the stream carries on, as iperf3's does; the control connection says how the test went
    }
}
