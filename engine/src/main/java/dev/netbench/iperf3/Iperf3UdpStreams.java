package dev.netbench.iperf3;

import dev.netbench.udp.UdpAgent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * iperf3's datagrams on the agent's UDP port, taken off before netbench's own handling. Confined to the UDP
 * channel's event loop.
 * <p>
 * A stream opens with iperf3's 4-byte connect datagram. It is accepted only from the address of a control
 * connection whose client proved its cookie over TCP and whose test is connecting its UDP streams now (one test
 * per client address at a time, so the datagram, which names no test, belongs to exactly one); the answer is
 * iperf3's 4-byte reply, never more than the datagram it answers. Datagrams from such a stream's address and port
 * are its data; everything else is left to netbench's UDP agent (which drops what is not netbench's).
 */
final class Iperf3UdpStreams implements UdpAgent.Demux {
    private final Iperf3Service service;
    private final Map<InetSocketAddress, Iperf3UdpStream> streams = new HashMap<>();

    Iperf3UdpStreams(Iperf3Service service) {
        this.service = service;
    }

    @Override
    public boolean offer(ByteBuf in, InetSocketAddress peer, Channel channel) {
        Iperf3UdpStream stream = streams.get(peer);
        if (stream != null) {
            stream.onDatagram(in, System.nanoTime());
            return true;
        }
        if (!Iperf3Service.isUdpConnect(in)) {
            return false;
        }
        Iperf3ServerSession test = service.udpTurn(Iperf3Service.normalize(peer.getAddress()));
        int index = test == null ? -1 : test.claimUdpStream();
        if (index < 0) {
            return false; // no test from that address is connecting streams: netbench's agent drops it
        }
        stream = new Iperf3UdpStream(channel, peer, index, this::remove);
        streams.put(peer, stream);
        channel.writeAndFlush(new DatagramPacket(Unpooled.buffer(4).writeInt(Iperf3.UDP_CONNECT_REPLY), peer), channel.voidPromise());
        test.udpStreamArrived(stream);
        return true;
    }

    /** Forgets a stream that ended; later datagrams from its address are netbench's agent's to drop. */
    void remove(Iperf3UdpStream stream) {
        streams.remove(stream.peer(), stream);
    }
}
