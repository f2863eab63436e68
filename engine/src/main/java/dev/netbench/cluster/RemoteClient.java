package dev.netbench.cluster;

import dev.netbench.NetbenchException;
import dev.netbench.auth.Token;
import dev.netbench.client.Client;
import dev.netbench.client.ClientHandshake;
import dev.netbench.host.Identity;
import dev.netbench.json.Json;
import dev.netbench.protocol.ControlFrame;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.FrameDecoder;
import dev.netbench.protocol.FrameType;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The orchestrator's side of remote-driven tests: asks an agent who it is, or to run a test against another agent
 * and return the result. Every exchange needs the agent to prove the shared token; an agent that cannot is not
 * trusted with anything.
 */
public final class RemoteClient implements AutoCloseable {
    /** Most characters of result JSON accepted from one agent. */
    static final int MAX_RESULT_CHARS = 4 << 20;
    private static final long HANDSHAKE_SECONDS = 10;
    /** How long past the planned run time to wait for its result (connection set-up, JVM warm-up at the agent). */
    private static final long RESULT_GRACE_SECONDS = 60;

    private final Token token;
    private final Duration connectTimeout;
    private final Transport transport = Transport.best();
    private final EventLoopGroup group;

    /** An exchange's connection and its handshake. */
    private record Connection(Channel channel, ClientHandshake handshake) {
    }

    public RemoteClient(Token token, Duration connectTimeout) {
        if (token == null) {
            throw new IllegalArgumentException("remote-driven tests need the agents' token (--token-file or " + Token.ENV + ")");
        }
        this.token = token;
        this.connectTimeout = connectTimeout;
        this.group = transport.newGroup(1, "netbench-orchestrator");
    }

    /** The agent's identity and HTTP target port, from an authenticated handshake. */
    public Agent identify(InetSocketAddress agent) throws InterruptedException {
        int[] httpPort = new int[1];
        Connection c = open(agent, Fields.builder().put("op", RemoteRunner.IDENTITY_OP).build(), "identity",
                accept -> {
                    httpPort[0] = (int) accept.requireLong("agent.http_port");
                    return new Discard();
                });
        Identity id = await(c.handshake().accepted(), HANDSHAKE_SECONDS, agent, "identity").server();
        return new Agent(agent, httpPort[0], id);
    }

    /** Runs {@code request} at {@code agent}; returns the agent's result document (as {@code netbench client --json}). */
    public Map<String, Object> run(InetSocketAddress agent, RemoteRequest request) throws InterruptedException {
        CompletableFuture<String> result = new CompletableFuture<>();
        Connection c = open(agent, request.toFields(), "remote test", accept -> {
            if (request.sockets().any() && !"true".equals(accept.get(RemoteRunner.TAKES_SOCKET_KNOBS))) {
                throw new NetbenchException("agent " + agent.getHostString() + ":" + agent.getPort() + " does not take tcp_bw's "
                        + "socket options (-N, -w, -M, -C, -S, -Z) from a matrix: it is older than this netbench");
            }
            return new ResultReader(result);
        });
        try {
            await(c.handshake().accepted(), HANDSHAKE_SECONDS, agent, "remote test");
            long wait = TimeUnit.NANOSECONDS.toSeconds(request.plannedNanos()) + RESULT_GRACE_SECONDS;
            return Json.parseObject(await(result, wait, agent, "remote test"));
        } finally {
            // given up or done: closing cancels the run at the agent, so it cannot overlap the next test
            c.channel().close();
        }
    }

    private Connection open(InetSocketAddress agent, Fields hello, String what, Function<Fields, ChannelHandler> next) {
        String target = agent.getHostString() + ":" + agent.getPort();
        ClientHandshake handshake = new ClientHandshake(hello, what, token, true, target, next);
        Channel ch = new Bootstrap().group(group).channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("frames", new FrameDecoder()).addLast("handshake", handshake);
                    }
                })
                .connect(agent)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        handshake.accepted().completeExceptionally(new NetbenchException("cannot connect to " + target + ": "
                                + Client.reason(f.cause())));
                    }
                })
                .channel();
        handshake.accepted().whenComplete((a, e) -> {
            if (e != null) {
                ch.close();
            }
        });
        return new Connection(ch, handshake);
    }

    private static <T> T await(CompletableFuture<T> future, long seconds, InetSocketAddress agent, String what)
            throws InterruptedException {
        try {
            return future.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new NetbenchException(what + " at " + agent.getHostString() + ":" + agent.getPort() + ": no answer within "
                    + seconds + " s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof NetbenchException ne ? ne
                    : new NetbenchException(what + " at " + agent.getHostString() + ":" + agent.getPort() + " failed: "
                    + Client.reason(e.getCause()));
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** After an identity ACCEPT nothing is expected; the agent closes. */
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.close();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Collects the RESULT frames of a remote run into the JSON text, or its error. */
    private static final class ResultReader extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<String> result;
        private final StringBuilder json = new StringBuilder();

        ResultReader(CompletableFuture<String> result) {
            this.result = result;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ControlFrame frame) || frame.type() != FrameType.RESULT) {
                ReferenceCountUtil.release(msg);
                throw new ProtocolException("expected RESULT from the agent");
            }
            Fields f = frame.fields();
            if (f.get("error") != null) {
                result.completeExceptionally(new NetbenchException(f.get("error")));
                ctx.close();
                return;
            }
            String part = f.get("json");
            if (part == null || json.length() + part.length() > MAX_RESULT_CHARS) {
                throw new ProtocolException("malformed or oversized remote result");
            }
            json.append(part);
            if ("false".equals(f.get("more"))) {
                result.complete(json.toString());
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new NetbenchException("the agent closed the connection before the result"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(cause);
            ctx.close();
        }
    }
}
