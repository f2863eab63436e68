package dev.netbench.client;

import dev.netbench.NetbenchException;
import dev.netbench.auth.Token;
import dev.netbench.host.Identity;
import dev.netbench.protocol.ControlFrame;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.FrameType;
import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.ProtocolException;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Opens a client connection: sends the preamble and HELLO, answers the server's CHALLENGE with a proof of the token
 * when it has one, checks the server's own proof in ACCEPT, and then hands the connection to the handler
 * {@code next} builds (a test's endpoint, which starts at once). {@link #accepted()} completes with the server's
 * identity and that handler.
 */
public final class ClientHandshake extends ChannelInboundHandlerAdapter {
    public record Accepted(Identity server, ChannelHandler next) {
    }

    private final Fields hello;
    private final String what;
    private final Token token;
    private final boolean requireServerProof;
    private final String target;
    private final Function<Fields, ChannelHandler> next;
    private final String clientNonce;
    private final CompletableFuture<Accepted> accepted = new CompletableFuture<>();
    private String serverNonce;

    /**
     * @param what               what is asked for, for messages ("tcp_bw", "remote test")
     * @param token              null: no token, the server must not require one
     * @param requireServerProof fail unless the server proves the token (remote-driven tests trust only agents)
     */
    public ClientHandshake(Fields hello, String what, Token token, boolean requireServerProof, String target,
                           Function<Fields, ChannelHandler> next) {
        this.what = what;
        this.token = token;
        this.requireServerProof = requireServerProof;
        this.target = target;
        this.next = next;
        this.clientNonce = token != null ? Token.nonce() : null;
        this.hello = token != null ? Fields.builder().putAll(hello, "").put("auth.cnonce", clientNonce).build() : hello;
    }

    public CompletableFuture<Accepted> accepted() {
        return accepted;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.write(Protocol.preamble(ctx.alloc(), Protocol.VERSION), ctx.voidPromise());
        ctx.writeAndFlush(Protocol.control(ctx.alloc(), FrameType.HELLO, hello), ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ControlFrame frame)) {
            throw new ProtocolException("server sent data before accepting the test");
        }
        switch (frame.type()) {
            case CHALLENGE -> {
                String nonce = frame.fields().get("auth.snonce");
                if (token == null || serverNonce != null || !Token.isNonce(nonce)) {
                    throw new ProtocolException(token == null ? "server asked for a token this client does not have"
                            : "malformed CHALLENGE");
                }
                serverNonce = nonce;
                ctx.writeAndFlush(Protocol.control(ctx.alloc(), FrameType.PROOF,
                        Fields.builder().put("auth.proof", token.clientProof(serverNonce, clientNonce, hello)).build()), ctx.voidPromise());
            }
            case ACCEPT -> {
                boolean authenticated = serverNonce != null
                        && Token.matches(token.serverProof(serverNonce, clientNonce, hello), frame.fields().get("auth.sproof"));
                if (requireServerProof && !authenticated) {
                    fail(ctx, "server " + target + " did not prove it holds the token; refusing " + what);
                    return;
                }
                Identity server = Identity.fromFields(frame.fields());
                ChannelHandler handler = next.apply(frame.fields());
                ctx.pipeline().replace(this, "test", handler);
                accepted.complete(new Accepted(server, handler));
            }
            case REJECT -> fail(ctx, "server " + target + " rejected " + what + ": " + frame.fields().get("reason"));
            default -> throw new ProtocolException("expected ACCEPT or REJECT, got " + frame.type());
        }
    }

    private void fail(ChannelHandlerContext ctx, String message) {
        accepted.completeExceptionally(new NetbenchException(message));
        ctx.close();
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
