package dev.netbench.jmh;

import dev.netbench.protocol.DataRead;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;
import dev.netbench.session.MessageSender;
import dev.netbench.session.TestEndpoint;
import dev.netbench.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The sender's per-message path ({@link MessageSender#send}): messages per second into a real loopback TCP
 * connection whose other end discards what it reads, by message size, on the native transport (one send per
 * message straight to the socket) and on NIO (through the pipeline). One op is one message; a run of
 * {@link #BATCH} messages is handed to the sender's event loop at a time, and a full socket waits as tcp_bw does.
 * The receiving end shares the machine, so this is the send path's cost with a kernel under it, not the
 * kernel's cost alone: compare sizes and transports with each other, and a change against its parent.
 */
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
@State(Scope.Benchmark)
public class SendPathBenchmark {
    static final int BATCH = 256;

    @Param({"1", "1024", "65536"})
    public int msgSize;

    @Param({"native", "nio"})
    public String transport;

    EventLoopGroup group;
    Channel server;
    Channel client;
    Sender sender;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        Transport t = transport.equals("nio") ? Transport.nio() : Transport.best();
        group = t.newGroup(2, "send-path");
        server = new ServerBootstrap().group(group).channel(t.serverChannel())
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        sender = new Sender(new TestSpec(TestKind.TCP_BW, msgSize, TimeUnit.HOURS.toNanos(1), 0, false, 0, 1));
        // Nagle on, as tcp_bw's streams have it (Netty's default is TCP_NODELAY)
        client = new Bootstrap().group(group).channel(t.socketChannel()).option(ChannelOption.TCP_NODELAY, false)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(sender);
                    }
                })
                .connect(server.localAddress()).sync().channel();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        client.close().sync();
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public int send() throws Exception {
        Promise<Integer> done = client.eventLoop().newPromise();
        client.eventLoop().execute(() -> sender.sendRun(BATCH, 0, done));
        return done.get();
    }

    /** The tcp_bw send path without its clock: sends a run of messages, waiting out a full socket. */
    static final class Sender extends MessageSender {
        private ChannelHandlerContext ctx;

        Sender(TestSpec spec) {
            super(spec, TestEndpoint.Side.CLIENT);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            super.handlerAdded(ctx);
        }

        void sendRun(int messages, int sent, Promise<Integer> done) {
            int total = sent + send(ctx, messages - sent);
            if (total == messages) {
                done.setSuccess(total);
            } else if (!ctx.channel().isActive()) {
                done.setFailure(new IllegalStateException("connection closed"));
            } else {
                whenWritesDone(() -> sendRun(messages, total, done));
            }
        }

        @Override
        protected void onData(ChannelHandlerContext ctx, DataRead read) {
            throw new IllegalStateException("the discarding end sent data");
        }
    }
}
