package dev.netbench.server;

import dev.netbench.auth.AgentAuth;
import dev.netbench.admission.ServerMetrics;
import dev.netbench.admission.Limits;
import dev.netbench.admission.ConnectionLimiter;
import dev.netbench.admission.Admission;
import dev.netbench.NetbenchException;
import dev.netbench.client.SelfTestServer;
import dev.netbench.cluster.RemoteRunner;
import dev.netbench.cpu.HostCpuHistory;
import dev.netbench.host.Identity;
import dev.netbench.http.HttpTarget;
import dev.netbench.iperf3.Iperf3Service;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.FrameType;
import dev.netbench.protocol.Protocol;
import dev.netbench.session.TestEndpoint;
import dev.netbench.socket.SocketOptions;
import dev.netbench.protocol.FrameDecoder;
import dev.netbench.protocol.PreambleDecoder;
import dev.netbench.transport.ReadBackpressure;
import dev.netbench.transport.Transport;
import dev.netbench.udp.UdpAgent;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The netbench agent: one port number for tests, any number at once from any number of clients: on TCP each
 * test self-contained on its own connection, on UDP each on its own 5-tuple; and the HTTP target on a port of
 * its own.
 */
public final class NetbenchServer implements SelfTestServer {
    private final EventLoopGroup group;
    private final Channel channel;
    private final Channel httpChannel;
    private final Channel udpChannel;
    private final UdpAgent udp;
    private final ServerMetrics metrics;
    private final ChannelGroup tests;
    private final AtomicBoolean shuttingDown;
    private final Admission admission;
    private final ConnectionLimiter testConnections;
    private final ConnectionLimiter httpConnections;
    private final Iperf3Service iperf3;

    private NetbenchServer(EventLoopGroup group, Channel channel, Channel httpChannel, Channel udpChannel, UdpAgent udp,
                           ServerMetrics metrics, ChannelGroup tests, AtomicBoolean shuttingDown, Admission admission,
                           ConnectionLimiter testConnections, ConnectionLimiter httpConnections, Iperf3Service iperf3) {
        this.admission = admission;
        this.testConnections = testConnections;
        this.httpConnections = httpConnections;
        this.iperf3 = iperf3;
        this.udpChannel = udpChannel;
        this.udp = udp;
        this.shuttingDown = shuttingDown;
        this.group = group;
        this.channel = channel;
        this.httpChannel = httpChannel;
        this.metrics = metrics;
        this.tests = tests;
    }

    /** Binds both listeners and starts serving, within the default {@link Limits}. */
    public static NetbenchServer start(ServerOptions options, Consumer<String> log) throws InterruptedException {
        return start(options, Limits.defaults(), log);
    }

    /** Binds both listeners and starts serving; every served test and every dropped connection is one line to {@code log}. */
    public static NetbenchServer start(ServerOptions options, Limits limits, Consumer<String> log) throws InterruptedException {
        Transport transport = Transport.best();
        Identity identity = Identity.local();
        HostCpuHistory.shared(); // the host's baseline before each test needs its recent history
        SocketOptions.load(); // libc for tcp_bw's socket options, before the first handshake needs it
        EventLoopGroup group = transport.newGroup(options.threads(), "netbench-server");
        ServerMetrics metrics = new ServerMetrics();
        AtomicBoolean shuttingDown = new AtomicBoolean();
        ChannelGroup tests = new DefaultChannelGroup("netbench-tests", GlobalEventExecutor.INSTANCE);
        Admission admission = new Admission(limits, metrics);
        ConnectionLimiter testConnections = new ConnectionLimiter(limits.maxConnectionsPerAddress(), metrics, log, "tests",
                reason -> Protocol.control(ByteBufAllocator.DEFAULT, FrameType.REJECT, Fields.builder().put("reason", reason).build()));
        ConnectionLimiter httpConnections = new ConnectionLimiter(limits.maxConnectionsPerAddress(), metrics, log, "http",
                HttpTarget::unavailable);
        try {
            AgentAuth auth = new AgentAuth(options.token(), options.requireToken(), log);
            UdpAgent udp = new UdpAgent(identity, log, metrics, shuttingDown, admission, auth);
            RemoteRunner remote = new RemoteRunner(options.token(), log);
            AtomicInteger httpPort = new AtomicInteger(); // known once the HTTP target is bound, just below
            // iperf3 clients on the same port: a first-bytes sniffer on TCP, a demux on UDP (docs/iperf3-compat.md)
            Iperf3Service iperf3 = new Iperf3Service(log, metrics, shuttingDown, options.requireToken(), admission);
            udp.demux(iperf3.udpDemux());
            Channel channel = null;
            Channel udpChannel = null;
            // the UDP tests share the TCP port's number; an ephemeral TCP port may be taken for UDP: pick again
            for (int attempt = 1; udpChannel == null; attempt++) {
                channel = bootstrap(group, transport)
                        .handler(iperf3.acceptOrder())
                        .childOption(ChannelOption.RCVBUF_ALLOCATOR, Transport.recvAllocator())
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast("limiter", testConnections)
                                        .addLast("backpressure", ReadBackpressure.INSTANCE)
                                        .addLast("iperf3", iperf3.sniffer())
                                        .addLast("preamble", new PreambleDecoder())
                                        .addLast("frames", new FrameDecoder(limits.maxMessageSize()))
                                        .addLast("handshake", new ServerHandshake(identity, log, metrics, tests, shuttingDown, auth, remote,
                                                httpPort::get, admission))
                                        .addLast("errors", new ConnectionErrorLogger(log, metrics));
                            }
                        })
                        .bind(new InetSocketAddress(options.bind(), options.port())).sync().channel();
                ChannelFuture bound = UdpAgent.datagramOptions(new Bootstrap().group(group).channel(transport.datagramChannel()))
                        // a udp_lat test's own socket binds the same address and port, connected to its client
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .handler(udp)
                        .bind(new InetSocketAddress(options.bind(), ((InetSocketAddress) channel.localAddress()).getPort()))
                        .await();
                if (bound.isSuccess()) {
                    udpChannel = bound.channel();
                } else if (options.port() == 0 && attempt < 5) {
                    channel.close().sync();
                } else {
                    channel.close().sync();
                    throw new NetbenchException("cannot listen on UDP port " + ((InetSocketAddress) channel.localAddress()).getPort()
                            + ": " + bound.cause().getMessage(), bound.cause());
                }
            }
            Channel http = bootstrap(group, transport)
                    .childHandler(HttpTarget.initializer(metrics, limits, httpConnections))
                    .bind(new InetSocketAddress(options.bind(), options.httpPort())).sync().channel();
            httpPort.set(((InetSocketAddress) http.localAddress()).getPort());
            return new NetbenchServer(group, channel, http, udpChannel, udp, metrics, tests, shuttingDown, admission,
                    testConnections, httpConnections, iperf3);
        } catch (InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        } catch (NetbenchException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        } catch (Exception e) {
            // bind() rethrows the OS's error (address in use, not available) as a checked exception
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new NetbenchException("cannot listen on " + (options.bind() == null ? "*" : options.bind().getHostAddress())
                    + " ports " + options.port() + "/" + options.httpPort() + ": " + e.getMessage(), e);
        }
    }

    private static ServerBootstrap bootstrap(EventLoopGroup group, Transport transport) {
        return new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true);
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public InetSocketAddress httpAddress() {
        return (InetSocketAddress) httpChannel.localAddress();
    }

    /** Blocks until the listening socket closes. */
    public void awaitClose() throws InterruptedException {
        channel.closeFuture().sync();
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** Test slots and buffer memory held now, against the limits. */
    public Admission admission() {
        return admission;
    }

    /** Open connections per client address on the test port. */
    public ConnectionLimiter testConnections() {
        return testConnections;
    }

    /** Open connections per client address on the HTTP target's port. */
    public ConnectionLimiter httpConnections() {
        return httpConnections;
    }

    /** UDP tests running now; read on the UDP channel's event loop. */
    public int udpSessions() {
        return udpChannel.eventLoop().submit(udp::sessions).syncUninterruptibly().getNow();
    }

    /**
     * Stops accepting, tells every running test's client that its test was aborted and why, and stops, all within
     * {@code grace}. Returns how many tests were aborted.
     */
    public int shutdown(String reason, Duration grace) {
        shuttingDown.set(true); // a handshake still under way gets REJECT with the reason, not a test cut short
        channel.close().syncUninterruptibly();
        httpChannel.close().syncUninterruptibly();
        int running = tests.size();
        metrics.aborted(running);
        running += iperf3.abortAll();
        running += udpChannel.eventLoop().submit(() -> udp.abortAll(reason)).syncUninterruptibly().getNow();
        udpChannel.close().syncUninterruptibly();
        Fields why = Fields.builder().put("reason", reason).build();
        tests.forEach(ch -> ch.eventLoop().execute(() -> {
            TestEndpoint test = ch.pipeline().get(TestEndpoint.class);
            if (test != null) {
                test.stop();
            }
            // half-close after the ABORT and keep reading until the client closes: closing with its data unread
            // would reset the connection, and the reset could overtake the ABORT
            ch.writeAndFlush(Protocol.control(ch.alloc(), FrameType.ABORT, why))
                    .addListener(f -> ((DuplexChannel) ch).shutdownOutput());
        }));
        tests.newCloseFuture().awaitUninterruptibly(grace.toMillis() / 2);
        // what is still open closes now, while the loops run: a test on a thread of its own closes only once it is
        // back on its loop, and the loops' own shutdown closes only the connections registered with them
        tests.close().awaitUninterruptibly(grace.toMillis() / 4);
        group.shutdownGracefully(0, Math.max(1, grace.toMillis() / 4), TimeUnit.MILLISECONDS).awaitUninterruptibly(grace.toMillis() / 4);
        return running;
    }

    @Override
    public void close() {
        shutdown("server closed", Duration.ofSeconds(2));
    }
}
