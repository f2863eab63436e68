package dev.netbench.client;

import dev.netbench.NetbenchException;
import dev.netbench.host.Identity;
import dev.netbench.protocol.ControlFrame;
import dev.netbench.protocol.FrameType;
import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.TestSpec;
import dev.netbench.session.Endpoints;
import dev.netbench.session.TestEndpoint;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.CompletableFuture;

/**
 * Opens a client connection: sends the preamble and HELLO, and on ACCEPT hands the connection to the test's
 * endpoint, which starts at once. {@link #accepted()} completes with the server's identity and the endpoint.
 */
final class ClientHandshake extends ChannelInboundHandlerAdapter {
    record Accepted(Identity server, TestEndpoint endpoint) {
    }

    private final TestSpec spec;
    private final Identity self;
    private final String target;
    private final CompletableFuture<Accepted> accepted = new CompletableFuture<>();

    ClientHandshake(TestSpec spec, Identity self, String target) {
        this.spec = spec;
        this.self = self;
        this.target = target;
    }

    CompletableFuture<Accepted> accepted() {
        return accepted;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.write(Protocol.preamble(ctx.alloc(), Protocol.VERSION), ctx.voidPromise());
        ctx.writeAndFlush(Protocol.control(ctx.alloc(), FrameType.HELLO, spec.toFields(self)), ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ControlFrame frame)) {
            throw new ProtocolException("server sent data before accepting the test");
        }
        switch (frame.type()) {
            case ACCEPT -> {
                Identity server = Identity.fromFields(frame.fields());
                TestEndpoint endpoint = Endpoints.create(spec, TestEndpoint.Side.CLIENT);
                ctx.pipeline().replace(this, "test", endpoint);
                accepted.complete(new Accepted(server, endpoint));
            }
            case REJECT -> {
                accepted.completeExceptionally(new NetbenchException("server " + target + " rejected "
                        + spec.kind().wireName() + ": " + frame.fields().get("reason")));
                ctx.close();
            }
            default -> throw new ProtocolException("expected ACCEPT or REJECT, got " + frame.type());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        accepted.completeExceptionally(new NetbenchException("server " + target + " closed the connection during the handshake"
                + " (is it a netbench server?)"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        accepted.completeExceptionally(cause);
        ctx.close();
    }
}
