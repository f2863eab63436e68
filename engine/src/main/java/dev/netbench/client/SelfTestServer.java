package dev.netbench.client;

import java.net.InetSocketAddress;

/**
 * The in-process agent a loopback self-test runs against (no HOST given): where its tests and its HTTP target
 * listen. The client does not start one itself; whoever runs it (the CLI) hands one in, so the client does not
 * depend on the server, whose remote runs depend on the client.
 */
public interface SelfTestServer extends AutoCloseable {
    InetSocketAddress address();

    InetSocketAddress httpAddress();

    @Override
    void close();

    /** Starts one; may block while it binds. */
    @FunctionalInterface
    interface Starter {
        SelfTestServer start() throws InterruptedException;
    }
}
