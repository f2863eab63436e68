package dev.netbench.client;

import dev.netbench.NetbenchException;
import dev.netbench.host.Identity;
import dev.netbench.latency.IntervalLatency;
import dev.netbench.protocol.FrameDecoder;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;
import dev.netbench.session.TestEndpoint;
import dev.netbench.session.TestStream;
import dev.netbench.socket.DataSocket;
import dev.netbench.socket.SocketOptions;
import dev.netbench.tcp.Endpoints;
import dev.netbench.transport.Transport;
import dev.netbench.udp.UdpAgent;
import dev.netbench.udp.UdpClientStream;
import dev.netbench.udp.UdpSpec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;

/**
 * Opens one test's streams to an agent, as the settings ask: a TCP connection with its handshake (and tcp_bw's
 * socket knobs), or a UDP stream on a connected socket of its own. A stream is connecting when returned; its
 * {@code accepted()} completes with the agent's answer.
 */
final class Streams {
    private final ClientSettings settings;
    private final Identity self;
    private final Transport transport;
    private final EventLoopGroup group;

    Streams(ClientSettings settings, Identity self, Transport transport, EventLoopGroup group) {
        this.settings = settings;
        this.self = self;
        this.transport = transport;
        this.group = group;
    }

    /** The tests whose ends -T pins: those that run on threads of their own. */
    static boolean pinnable(TestKind kind) {
        return kind == TestKind.TCP_LAT || kind == TestKind.TCP_BW;
    }

    TcpStream tcp(InetSocketAddress address, String target, TestSpec spec, IntervalLatency intervals) {
        // tcp_bw's data sockets take the test's knobs (Nagle on unless -N); every other test's keep TCP_NODELAY on
        boolean knobs = spec.kind() == TestKind.TCP_BW;
        TcpStream.Sockets sockets = new TcpStream.Sockets();
        ClientHandshake handshake = new ClientHandshake(spec.toFields(self.toFields()), spec.kind().wireName(), settings.token(), false,
                target, accept -> {
                    if (knobs) { // on the event loop, connected: both ends' sockets as the kernels hold them now
                        sockets.read(accept.withPrefix("sock."), spec);
                    }
                    TestSpec local = spec.onCpu(pinnable(spec.kind()) ? settings.localCpu() : -1);
                    return timed(Endpoints.create(local, TestEndpoint.Side.CLIENT), intervals);
                });
        ChannelFuture connect = new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, Transport.recvAllocator())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (knobs) {
                            sockets.channel = ch;
                            try {
                                // before connect: TCP_MAXSEG goes into the SYN, the buffers pick its window scale
                                DataSocket.applyBeforeConnect(ch, spec);
                            } catch (SocketOptions.Failed e) {
                                handshake.accepted().completeExceptionally(new NetbenchException("tcp_bw socket options: " + e.getMessage()));
                                ch.close();
                                return;
                            }
                        }
                        ch.pipeline().addLast("frames", new FrameDecoder()).addLast("handshake", handshake);
                    }
                })
                .connect(address);
        return new TcpStream(connect, handshake, target, sockets);
    }

    /** With -i, a latency test's endpoint also records into the test's interval histogram. */
    private static TestEndpoint timed(TestEndpoint endpoint, IntervalLatency intervals) {
        if (intervals != null && endpoint instanceof IntervalLatency.Timed timed) {
            timed.recordIntervals(intervals);
        }
        return endpoint;
    }

    /** A UDP stream: its own connected socket, so every datagram of it shares one 5-tuple. */
    TestStream udp(InetSocketAddress address, String target, TestSpec spec, IntervalLatency intervals) {
        UdpClientStream stream = new UdpClientStream(new UdpSpec(spec, settings.bitsPerSecond(), settings.interval().toNanos(), settings.udpOffload()),
                self, target, settings.connectTimeout().toNanos(), settings.token(), intervals);
        ChannelFuture connect = UdpAgent.datagramOptions(new Bootstrap().group(group).channel(transport.datagramChannel()))
                .handler(stream)
                .connect(address);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                stream.accepted().completeExceptionally(new NetbenchException("cannot reach " + target + ": " + Client.reason(f.cause())));
            }
        });
        return stream;
    }
}
