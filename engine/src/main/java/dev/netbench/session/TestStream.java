package dev.netbench.session;

import dev.netbench.host.Identity;

import java.util.concurrent.CompletableFuture;

/**
 * One stream of a test as the client drives it: a TCP connection or a UDP 5-tuple. The client opens every stream
 * of a test, waits until each is {@link #accepted()}, starts them all at once with {@link #begin()} so their
 * measured windows coincide, and waits until each is {@link #done()}: it then has both ends' figures.
 */
public interface TestStream {
    /** Completes with the server's identity once the server has accepted the test; fails with the reason it did not. */
    CompletableFuture<Identity> accepted();

    /** Starts the test's traffic. */
    void begin();

    /** Completes when this stream's test is over and the server's figures are in; fails when it broke. */
    CompletableFuture<?> done();

    /** Progress counts for -i lines, warm-up included; read from another thread. */
    MeasuredWindow window();

    void close();
}
