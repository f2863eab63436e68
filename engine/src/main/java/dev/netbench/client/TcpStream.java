package dev.netbench.client;

import dev.netbench.NetbenchException;
import dev.netbench.host.Identity;
import dev.netbench.session.MeasuredWindow;
import dev.netbench.session.Outcome;
import dev.netbench.session.TestEndpoint;
import dev.netbench.session.TestStream;
import io.netty.channel.ChannelFuture;

import java.util.concurrent.CompletableFuture;

/** A TCP test connection as a {@link TestStream}: accepted once connected and past the handshake. */
final class TcpStream implements TestStream {
    private final ChannelFuture connect;
    private final CompletableFuture<Identity> accepted = new CompletableFuture<>();
    private volatile TestEndpoint endpoint;

    TcpStream(ChannelFuture connect, ClientHandshake handshake, String target) {
        this.connect = connect;
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                accepted.completeExceptionally(new NetbenchException("cannot connect to " + target + ": " + Client.reason(f.cause())));
            }
        });
        handshake.accepted().whenComplete((a, e) -> {
            if (e != null) {
                accepted.completeExceptionally(e);
            } else {
                endpoint = (TestEndpoint) a.next();
                accepted.complete(a.server());
            }
        });
    }

    @Override
    public CompletableFuture<Identity> accepted() {
        return accepted;
    }

    @Override
    public void begin() {
        endpoint.begin();
    }

    @Override
    public CompletableFuture<Outcome> done() {
        return endpoint.outcome();
    }

    TestEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public MeasuredWindow window() {
        return endpoint.window();
    }

    @Override
    public void close() {
        connect.channel().close();
    }
}
