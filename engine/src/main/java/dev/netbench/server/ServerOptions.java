package dev.netbench.server;

import dev.netbench.auth.Token;
import dev.netbench.protocol.Protocol;

import java.net.InetAddress;

/**
 * Where the agent listens: the netbench test port and the HTTP target's port on {@code bind} (null: every
 * address); a port of 0 picks a free one. {@code threads} event loops, 0 for one per CPU. {@code token} (null:
 * none) is the shared secret; {@code requireToken} makes every test prove it, not only remote-driven ones.
 */
public record ServerOptions(InetAddress bind, int port, int httpPort, int threads, Token token, boolean requireToken) {
    public static final int DEFAULT_HTTP_PORT = 7580;

    public static ServerOptions defaults() {
        return new ServerOptions(null, Protocol.DEFAULT_PORT, DEFAULT_HTTP_PORT, 0, null, false);
    }

    /** Both listeners on 127.0.0.1, free ports: the loopback self-test's in-process agent. */
    public static ServerOptions loopback() {
        return new ServerOptions(InetAddress.getLoopbackAddress(), 0, 0, 0, null, false);
    }

    public ServerOptions withToken(Token token, boolean requireToken) {
        return new ServerOptions(bind, port, httpPort, threads, token, requireToken);
    }
}
