package dev.netbench.client;

import dev.netbench.NetbenchException;
import dev.netbench.host.Identity;
import dev.netbench.session.MeasuredWindow;
import dev.netbench.session.Outcome;
import dev.netbench.session.TestEndpoint;
import dev.netbench.session.TestStream;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.TestSpec;
import dev.netbench.report.SocketReadback;
import dev.netbench.socket.DataSocket;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

import java.util.concurrent.CompletableFuture;

/** A TCP test connection as a {@link TestStream}: accepted once connected and past the handshake. */
final class TcpStream implements TestStream {
    private static final long CLOSE_WAIT_MILLIS = 2000;
    private final ChannelFuture connect;
    private final CompletableFuture<Identity> accepted = new CompletableFuture<>();
    private final Sockets sockets;
    private volatile TestEndpoint endpoint;

    /**
     * A tcp_bw stream's data sockets as read back when the test was accepted: this end's (the client's), read on its
     * event loop, and the agent's, from its ACCEPT. Unread (null) for the other tests.
     */
    static final class Sockets {
        volatile Channel channel;
        volatile SocketReadback local;
        volatile SocketReadback remote;

        void read(Fields accept, TestSpec spec) {
            local = DataSocket.read(channel);
            remote = SocketReadback.fromFields(accept);
            // an agent older than -Z ignores sock.zerocopy: as the sender (-R) it would write(2) unnoticed
            if (spec.sockets().zerocopy() && spec.reverse() && !Boolean.TRUE.equals(remote.zerocopy())) {
                throw new NetbenchException("tcp_bw socket options: -Z/--zerocopy: the agent does not send with sendfile "
                        + "(it is older than this client)");
            }
        }
    }

    TcpStream(ChannelFuture connect, ClientHandshake handshake, String target, Sockets sockets) {
        this.connect = connect;
        this.sockets = sockets;
        // a failure to apply the socket knobs (before connecting) completes the handshake first: its reason wins
        handshake.accepted().whenComplete((a, e) -> {
            if (e != null) {
                accepted.completeExceptionally(e);
            } else {
                endpoint = (TestEndpoint) a.next();
                accepted.complete(a.server());
            }
        });
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                accepted.completeExceptionally(new NetbenchException("cannot connect to " + target + ": " + Client.reason(f.cause())));
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

    Sockets sockets() {
        return sockets;
    }

    Channel channel() {
        return connect.channel();
    }

    /** The connection, and whether this end sends on it (a tcp_bw stream: unless -R). */
    CommonWindow.Socket socket() {
        return new CommonWindow.Socket(connect.channel(), !endpoint.spec().reverse());
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
        // waits (briefly) for the close: a test on a thread of its own closes only once it is back on its event
        // loop, which must not have shut down by then
        connect.channel().close().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
    }
}
