package dev.netbench.it;

import dev.netbench.auth.Token;
import dev.netbench.client.ClientSettings;
import dev.netbench.protocol.TestKind;
import dev.netbench.admission.Limits;
import dev.netbench.server.NetbenchServer;
import dev.netbench.server.ServerOptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real netbench server on 127.0.0.1 and an ephemeral port, with its log lines kept for assertions. As a test's
 * {@code @RegisterExtension} field it serves that one test and closes after it.
 */
final class Loopback implements AutoCloseable, AfterEachCallback {
    final List<String> log = new CopyOnWriteArrayList<>();
    final NetbenchServer server;

    Loopback() {
        this(Limits.defaults(), null, false);
    }

    Loopback(Limits limits) {
        this(limits, null, false);
    }

    /** An agent with a token (null: none), requiring it for every test or only for remote-driven ones. */
    Loopback(Token token, boolean requireToken) {
        this(Limits.defaults(), token, requireToken);
    }

    private Loopback(Limits limits, Token token, boolean requireToken) {
        try {
            server = NetbenchServer.start(new ServerOptions(InetAddress.getLoopbackAddress(), 0, 0, 2, token, requireToken), limits,
                    log::add);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the agent started", e);
        }
    }

    int httpPort() {
        return server.httpAddress().getPort();
    }

    /** Waits up to {@code millis} for a log line containing {@code fragment}. */
    boolean logged(String fragment, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        do {
            if (log.stream().anyMatch(l -> l.contains(fragment))) {
                return true;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < end);
        return false;
    }

    int port() {
        return server.address().getPort();
    }

    ClientSettings settings(List<TestKind> tests, List<Integer> sizes, double seconds, int parallel, boolean reverse) {
        return settings(tests, sizes, seconds, parallel, reverse, 0);
    }

    /** With a udp_bw bit rate per stream (0: unpaced). */
    ClientSettings settings(List<TestKind> tests, List<Integer> sizes, double seconds, int parallel, boolean reverse, long bitsPerSecond) {
        return new ClientSettings("127.0.0.1", port(), tests, sizes, Duration.ofMillis((long) (seconds * 1000)),
                Duration.ofMillis(100), parallel, reverse, Duration.ZERO, Duration.ofSeconds(5), null, bitsPerSecond);
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }
}
